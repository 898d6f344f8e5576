import { ApiProblem, currentLang, currentToken } from './api/client.js';

/**
 * Downloads a file the API serves behind the session (a plain link cannot send the bearer
 * token): fetched, then saved under the name the server gives in Content-Disposition.
 */
export async function downloadFile(path: string, fallbackName: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(path, {
      headers: { Authorization: `Bearer ${currentToken()}`, 'Accept-Language': currentLang() },
    });
  } catch (err) {
    throw new ApiProblem(0, 'network', '', err instanceof Error ? err.message : undefined);
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    throw new ApiProblem(
      res.status,
      typeof body.code === 'string' ? body.code : `http_${res.status}`,
      typeof body.title === 'string' ? body.title : `HTTP ${res.status}`,
      typeof body.detail === 'string' ? body.detail : undefined,
    );
  }
  const disposition = res.headers.get('Content-Disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  // Quoted, or a bare token (Express leaves plain ASCII names unquoted).
  const plain = /filename=(?:"([^"]+)"|([^;\s"]+))/i.exec(disposition);
  const name = star ? decodeURIComponent(star[1]!) : (plain?.[1] ?? plain?.[2] ?? fallbackName);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}
