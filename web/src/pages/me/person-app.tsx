import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import type { Schemas } from '../../api/client.js';
import './me.css';

/**
 * The job seeker's own page (`/me`), opened from a personal link. Easy-read Chinese: short
 * sentences, one idea per line, a pictogram beside each key word. Large text and high contrast by
 * default; every control is a real button or field with a label; "读给我听" reads the page aloud.
 * It talks to `/api/v1/me/…` only, with the person's session (never a staff session).
 */
type Page = Schemas['PersonPage'];
type ActedBy = 'self' | 'guardian' | 'supporter';

const LINK_KEY = 'tx.me.link';
const SESSION_KEY = 'tx.me.session';

interface Problem {
  status: number;
  code: string;
  attemptsLeft?: number;
}

async function call<T>(method: string, path: string, token: string | null, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      'Accept-Language': 'zh-CN',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) return undefined as T;
  const data = await res.json().catch(() => ({}));
  if (!res.ok)
    throw { status: res.status, code: data.code ?? 'error', attemptsLeft: data.attemptsLeft } as Problem;
  return data as T;
}

/** The link token arrives in the URL fragment; it is moved to this tab's storage and out of the address bar. */
function takeLinkToken(): string | null {
  const m = /^#t=(txl_[A-Za-z0-9_-]{43})$/.exec(location.hash);
  if (m) {
    sessionStorage.setItem(LINK_KEY, m[1]!);
    history.replaceState(null, '', location.pathname);
  }
  return sessionStorage.getItem(LINK_KEY);
}

function ReadAloud() {
  const [speaking, setSpeaking] = useState(false);
  const supported = typeof window !== 'undefined' && 'speechSynthesis' in window;
  const toggle = () => {
    if (!supported) return;
    if (speaking) {
      speechSynthesis.cancel();
      setSpeaking(false);
      return;
    }
    // biome-ignore lint/performance/useDomNodeTextContent: the text as laid out (line breaks between blocks, hidden parts left out) is what should be read
    const text = document.querySelector('main')?.innerText ?? '';
    const u = new SpeechSynthesisUtterance(text);
    u.lang = 'zh-CN';
    u.rate = 0.9;
    u.onend = () => setSpeaking(false);
    u.onerror = () => setSpeaking(false);
    speechSynthesis.cancel();
    speechSynthesis.speak(u);
    setSpeaking(true);
  };
  return (
    <button
      type="button"
      className="me-read"
      onClick={toggle}
      aria-pressed={speaking}
      aria-label={speaking ? '停止朗读' : '读给我听'}
      disabled={!supported}
    >
      <span aria-hidden="true">🔊</span> {speaking ? '停止朗读' : '读给我听'}
    </button>
  );
}

function SignIn({ linkToken, onSession }: { linkToken: string; onSession: (token: string) => void }) {
  const [mode, setMode] = useState<'id' | 'birth'>('id');
  const [value, setValue] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      const body =
        mode === 'id' ? { token: linkToken, idLast4: value.trim() } : { token: linkToken, birthDate: value };
      const s = await call<{ token: string }>('POST', '/api/v1/me/sessions', null, body);
      onSession(s.token);
    } catch (err) {
      const p = err as Problem;
      if (p.code === 'link_locked') setMessage('错了太多次。\n请过一会儿再试。\n也可以找残联工作人员。');
      else if (p.code === 'rate_limited') setMessage('试的次数太多了。\n请过一会儿再试。');
      else if (p.code === 'link_invalid') setMessage('这个链接不能用了。\n请找残联工作人员要新的链接。');
      else if (p.code === 'wrong_second_factor')
        setMessage(`不对。\n请再试一次。\n还可以试 ${p.attemptsLeft ?? 0} 次。`);
      else setMessage('没有成功。\n请再试一次。');
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} className="me-card" aria-labelledby="me-signin-title">
      <h1 id="me-signin-title">
        <span aria-hidden="true">👋</span> 你好！
      </h1>
      <p>这是你自己的页面。</p>
      <p>先核对一下是你本人。</p>
      {mode === 'id' ? (
        <label htmlFor="me-answer">
          请输入身份证号码的最后4位
          <input
            id="me-answer"
            inputMode="text"
            autoComplete="off"
            maxLength={4}
            value={value}
            onChange={(e) => setValue(e.target.value)}
            required
          />
        </label>
      ) : (
        <label htmlFor="me-answer">
          请输入你的出生日期
          <input
            id="me-answer"
            type="date"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            required
          />
        </label>
      )}
      {message && (
        <p role="alert" className="me-alert">
          {message}
        </p>
      )}
      <button type="submit" className="me-primary" disabled={busy}>
        进入
      </button>
      <button
        type="button"
        className="me-secondary"
        onClick={() => {
          setMode(mode === 'id' ? 'birth' : 'id');
          setValue('');
        }}
      >
        {mode === 'id' ? '改用出生日期' : '改用身份证最后4位'}
      </button>
    </form>
  );
}

const WHO: Record<ActedBy, string> = { self: '我自己', guardian: '监护人', supporter: '协助人' };

function Main({ token, onSignOut }: { token: string; onSignOut: () => void }) {
  const [page, setPage] = useState<Page | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [actedBy, setActedBy] = useState<ActedBy>('self');
  const [confirming, setConfirming] = useState<string | null>(null);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const statusRef = useRef<HTMLParagraphElement>(null);

  const load = useCallback(async () => {
    try {
      setPage(await call<Page>('GET', '/api/v1/me', token));
    } catch (err) {
      if ((err as Problem).status === 401) onSignOut();
    }
  }, [token, onSignOut]);
  useEffect(() => {
    void load();
  }, [load]);

  const act = async (method: string, path: string, body: Record<string, unknown>, done: string) => {
    try {
      await call(method, path, token, { ...body, actedBy });
      setStatus(done);
      await load();
    } catch (err) {
      if ((err as Problem).status === 401) return onSignOut();
      setStatus('没有成功。\n请再试一次，或者找残联工作人员。');
    }
    statusRef.current?.focus();
  };

  if (!page) return <p>正在打开……</p>;
  const { me } = page;
  return (
    <>
      <h1>
        <span aria-hidden="true">🙂</span> {me.name}，你好！
      </h1>
      {me.federationName && <p>这是{me.federationName}为你保存的信息。</p>}
      <p
        ref={statusRef}
        tabIndex={-1}
        role="status"
        aria-live="polite"
        className={status ? 'me-status' : 'me-status me-empty'}
      >
        {status}
      </p>

      {me.decidesWith !== 'self' && (
        <section className="me-card" aria-labelledby="me-who">
          <h2 id="me-who">
            <span aria-hidden="true">🤝</span> 一起做决定
          </h2>
          <p>你和你的{WHO[me.decidesWith]}一起做决定。</p>
          <fieldset>
            <legend>现在是谁在操作？</legend>
            {(['self', me.decidesWith] as ActedBy[]).map((w) => (
              <label key={w} className="me-radio">
                <input type="radio" name="acted-by" checked={actedBy === w} onChange={() => setActedBy(w)} />
                {WHO[w]}
              </label>
            ))}
          </fieldset>
        </section>
      )}

      <section className="me-card" aria-labelledby="me-info">
        <h2 id="me-info">
          <span aria-hidden="true">🪪</span> 残联保存的我的信息
        </h2>
        <p>姓名：{me.name}</p>
        <p>身份证号：{me.idNumber}</p>
        <p>残疾人证号：{me.certificateNumber}</p>
        {me.phone && <p>电话：{me.phone}</p>}
        <p>技能：{me.skills.map((s) => s.text).join('、') || '没有登记'}</p>
        <p>培训：{me.training.map((s) => s.text).join('、') || '没有登记'}</p>
        <p>想去的地方：{me.preferences.cities.join('、') || '哪里都可以'}</p>
        {me.preferences.minimumWage !== null && <p>最低工资：每月 {me.preferences.minimumWage} 元</p>}
        <p>需要宿舍：{me.preferences.needsDormitory ? '需要' : '不需要'}</p>
        <button
          type="button"
          className="me-secondary"
          onClick={() =>
            act('POST', '/api/v1/me/corrections', { topic: 'other' }, '已经告诉残联了。\n工作人员会联系你。')
          }
        >
          <span aria-hidden="true">✋</span> 这里不对
        </button>
      </section>

      <section className="me-card" aria-labelledby="me-consents">
        <h2 id="me-consents">
          <span aria-hidden="true">✍️</span> 我的同意
        </h2>
        {page.consents.length === 0 && <p>还没有同意记录。</p>}
        <ul className="me-list">
          {page.consents.map((c) => (
            <li key={c.id}>
              {c.words.split('\n').map((line) => (
                <p key={line}>{line}</p>
              ))}
              <p>{c.active ? '现在有效。' : '已经撤回。'}</p>
              {c.active &&
                (confirming === c.id ? (
                  <div className="me-row">
                    <p>撤回以后，马上生效。</p>
                    {c.purpose === 'sensitive_processing' && <p>残联会停止帮你找工作。</p>}
                    <button
                      type="button"
                      className="me-danger"
                      onClick={() => {
                        setConfirming(null);
                        void act('POST', `/api/v1/me/consents/${c.id}/withdraw`, {}, '已经撤回了。');
                      }}
                    >
                      确定撤回
                    </button>
                    <button type="button" className="me-secondary" onClick={() => setConfirming(null)}>
                      不撤回
                    </button>
                  </div>
                ) : (
                  <button type="button" className="me-secondary" onClick={() => setConfirming(c.id)}>
                    撤回这个同意
                  </button>
                ))}
            </li>
          ))}
        </ul>
      </section>

      <section className="me-card" aria-labelledby="me-jobs">
        <h2 id="me-jobs">
          <span aria-hidden="true">💼</span> 推荐给我的工作
        </h2>
        {page.proposals.length === 0 && <p>现在还没有。</p>}
        <ul className="me-list">
          {page.proposals.map((p) => (
            <li key={p.matchId} aria-labelledby={`job-${p.matchId}`}>
              <h3 id={`job-${p.matchId}`}>{p.title}</h3>
              <p>
                <span aria-hidden="true">🏭</span> 单位：{p.employerName ?? '—'}
              </p>
              <p>
                <span aria-hidden="true">📍</span> 地方：{p.city ?? '—'}
              </p>
              <p>
                <span aria-hidden="true">💰</span> 工资：每月 {p.wageMin} 到 {p.wageMax} 元
              </p>
              <p>
                <span aria-hidden="true">🛏️</span> 宿舍：
                {p.dormitory.provided ? (p.dormitory.accessible ? '有，无障碍' : '有') : '没有'}
              </p>
              {p.accommodations.length > 0 && <p>单位提供：{p.accommodations.join('、')}</p>}
              {p.why.length > 0 && <p>为什么推荐：{p.why.join('；')}</p>}
              <p>{p.stage}</p>
              {p.myAnswer && <p>你说过：{p.myAnswer === 'want' ? '我想去' : '我不想去'}</p>}
              <div className="me-row">
                <button
                  type="button"
                  className="me-primary"
                  onClick={() =>
                    act(
                      'POST',
                      `/api/v1/me/proposals/${p.matchId}/answer`,
                      { answer: 'want' },
                      '记下了：你想去。',
                    )
                  }
                >
                  <span aria-hidden="true">👍</span> 我想去
                </button>
                <label htmlFor={`why-${p.matchId}`}>
                  不想去的原因（可以不选）
                  <select
                    id={`why-${p.matchId}`}
                    value={reasons[p.matchId] ?? ''}
                    onChange={(e) => setReasons({ ...reasons, [p.matchId]: e.target.value })}
                  >
                    <option value="">不说</option>
                    <option value="too_far">太远</option>
                    <option value="wage_too_low">工资太低</option>
                    <option value="work_not_suitable">工作不适合我</option>
                    <option value="family">家里的原因</option>
                    <option value="other">别的原因</option>
                  </select>
                </label>
                <button
                  type="button"
                  className="me-secondary"
                  onClick={() =>
                    act(
                      'POST',
                      `/api/v1/me/proposals/${p.matchId}/answer`,
                      {
                        answer: 'not_want',
                        ...(reasons[p.matchId] ? { reasonCode: reasons[p.matchId] } : {}),
                      },
                      '记下了：你不想去。',
                    )
                  }
                >
                  <span aria-hidden="true">👎</span> 我不想去
                </button>
              </div>
              {p.shared ? (
                <p>你已经同意把姓名和电话给这家单位。</p>
              ) : (
                <button
                  type="button"
                  className="me-primary"
                  onClick={() =>
                    act(
                      'POST',
                      `/api/v1/me/proposals/${p.matchId}/share-consent`,
                      {},
                      '记下了：这家单位可以知道你的姓名和电话。',
                    )
                  }
                >
                  同意把我的姓名和电话给这家单位
                </button>
              )}
            </li>
          ))}
        </ul>
      </section>

      {page.placements.length > 0 && (
        <section className="me-card" aria-labelledby="me-work">
          <h2 id="me-work">
            <span aria-hidden="true">🏠</span> 我的工作
          </h2>
          {page.placements.map((p) => (
            <div key={`${p.contractStart}-${p.title}`}>
              <p>
                {p.employerName}：{p.title}
              </p>
              <p>开始上班：{p.contractStart}</p>
              {p.nextVisitOn && <p>残联下次来看你：{p.nextVisitOn}</p>}
            </div>
          ))}
        </section>
      )}

      <section className="me-card" aria-labelledby="me-help">
        <h2 id="me-help">
          <span aria-hidden="true">🆘</span> 需要帮助？
        </h2>
        <p>点下面的按钮。</p>
        <p>残联工作人员会联系你。</p>
        <button
          type="button"
          className="me-primary"
          onClick={() =>
            act('POST', '/api/v1/me/help', { topic: 'other' }, '已经告诉残联了。\n工作人员会联系你。')
          }
        >
          我需要帮助
        </button>
      </section>

      <button
        type="button"
        className="me-secondary"
        onClick={async () => {
          await call('DELETE', '/api/v1/me/sessions/current', token).catch(() => undefined);
          onSignOut();
        }}
      >
        退出
      </button>
    </>
  );
}

export function PersonApp() {
  const [linkToken] = useState(takeLinkToken);
  const [session, setSession] = useState<string | null>(() => sessionStorage.getItem(SESSION_KEY));
  useEffect(() => {
    document.documentElement.lang = 'zh-CN';
    document.title = '我的页面 · 同心';
  }, []);
  const signOut = useCallback(() => {
    sessionStorage.removeItem(SESSION_KEY);
    setSession(null);
  }, []);
  return (
    <div className="me">
      <header className="me-top">
        <ReadAloud />
      </header>
      <main id="main">
        {session ? (
          <Main token={session} onSignOut={signOut} />
        ) : linkToken ? (
          <SignIn
            linkToken={linkToken}
            onSession={(t) => {
              sessionStorage.setItem(SESSION_KEY, t);
              setSession(t);
            }}
          />
        ) : (
          <div className="me-card">
            <h1>这个页面需要你的个人链接。</h1>
            <p>请找残联工作人员要链接。</p>
          </div>
        )}
      </main>
    </div>
  );
}
