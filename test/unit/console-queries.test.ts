import { describe, expect, it } from 'vitest';
import { queueQuery, readQueueFilters } from '../../web/src/pages/review/queue-query.js';
import { EMPTY_JOURNEY, journeyBody } from '../../web/src/pages/transfer-batches/journey.js';

describe('the review queue filters in the URL', () => {
  it('when the URL holds valid filters, then they are read and sent to the API as numbers', () => {
    const f = readQueueFilters(
      new URLSearchParams(
        'prefecture=511100&scoreMin=72.5&waitingDays=3&sort=suggestedAt&openingId=665f1c2e9b1d8a0012345678',
      ),
    );
    expect(f).toEqual({
      prefecture: '511100',
      scoreMin: '72.5',
      waitingDays: '3',
      sort: 'suggestedAt',
      openingId: '665f1c2e9b1d8a0012345678',
    });
    expect(queueQuery(f)).toEqual({
      sort: 'suggestedAt',
      prefecture: '511100',
      openingId: '665f1c2e9b1d8a0012345678',
      scoreMin: 72.5,
      waitingDays: 3,
    });
  });

  it('when a link was edited by hand, then values the API would refuse are left out', () => {
    const f = readQueueFilters(
      new URLSearchParams('prefecture=440600&scoreMin=101&waitingDays=-1&sort=name&openingId=x'),
    );
    expect(f).toEqual({});
    // Best score first unless told.
    expect(queueQuery(f)).toEqual({ sort: '-score' });
  });

  it('when the sort is the default, then the URL does not repeat it', () => {
    expect(readQueueFilters(new URLSearchParams('sort=-score'))).toEqual({});
  });
});

describe('a transfer batch journey as the API takes it', () => {
  it('when the leader and escorts are left empty, then there is no leader and no escort', () => {
    expect(journeyBody({ ...EMPTY_JOURNEY, escorts: [{ name: ' ', phone: '' }] })).toEqual({
      destinationCode: '',
      travelDate: '',
      transport: 'chartered_bus',
      groupLeader: null,
      escorts: [],
    });
  });

  it('when names and phones are given, then they are trimmed and an empty phone is left out', () => {
    const body = journeyBody({
      ...EMPTY_JOURNEY,
      transport: '',
      leaderName: ' 阿依 ',
      leaderPhone: '',
      escorts: [
        { name: '李干事', phone: ' 13800001111 ' },
        { name: '', phone: '' },
      ],
      note: '  带好证件 ',
    });
    expect(body.transport).toBeUndefined();
    expect(body.groupLeader).toEqual({ name: '阿依' });
    expect(body.escorts).toEqual([{ name: '李干事', phone: '13800001111' }]);
    expect(body.note).toBe('带好证件');
  });

  it('when only a phone is typed for an escort, then the row is kept so the API names the missing name', () => {
    expect(journeyBody({ ...EMPTY_JOURNEY, escorts: [{ name: '', phone: '138' }] }).escorts).toEqual([
      { name: '', phone: '138' },
    ]);
  });
});
