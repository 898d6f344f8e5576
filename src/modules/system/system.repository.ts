import mongoose, { Schema } from 'mongoose';

/** One document per worker process, refreshed by its heartbeat job; shows which workers are alive. */
const heartbeatSchema = new Schema(
  {
    _id: { type: String },
    host: { type: String, required: true },
    pid: { type: Number, required: true },
    beats: { type: Number, required: true, default: 0 },
    lastReason: { type: String, required: true },
    lastToken: { type: String },
    lastBeatAt: { type: Date, required: true },
  },
  { collection: 'worker_heartbeats', versionKey: false },
);

const WorkerHeartbeat = mongoose.model('WorkerHeartbeat', heartbeatSchema);

export interface HeartbeatRecord {
  id: string;
  host: string;
  pid: number;
  beats: number;
  lastReason: string;
  lastToken?: string;
  lastBeatAt: Date;
}

export async function recordHeartbeat(
  workerId: string,
  beat: { host: string; pid: number; reason: string; token?: string; at: Date },
): Promise<void> {
  await WorkerHeartbeat.updateOne(
    { _id: workerId },
    {
      $set: {
        host: beat.host,
        pid: beat.pid,
        lastReason: beat.reason,
        lastToken: beat.token,
        lastBeatAt: beat.at,
      },
      $inc: { beats: 1 },
    },
    { upsert: true },
  );
}

export async function listHeartbeats(): Promise<HeartbeatRecord[]> {
  const docs = await WorkerHeartbeat.find().sort({ lastBeatAt: -1 }).lean();
  return docs.map(({ _id, ...rest }) => ({ id: String(_id), ...rest }) as HeartbeatRecord);
}
