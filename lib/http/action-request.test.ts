import { describe, expect, it } from 'vitest';
// React's own encoder of a server action's arguments, as the browser's copy of Next.js runs it.
// @ts-expect-error Next.js ships its compiled React without types
import { encodeReply } from 'next/dist/compiled/react-server-dom-webpack/client.edge';
import { ACTION_HEADER, isMalformedActionRequest } from '@/lib/http/action-request';

const ID = '7f'.repeat(21);

function post(parts: [string, string | Blob][], headers: Record<string, string> = {}): Request {
  const body = new FormData();
  for (const [name, value] of parts) body.append(name, value);
  return new Request('http://localhost/login', { method: 'POST', body, headers });
}

/** A call as React sends it with JavaScript: (previous state, FormData), the form's fields under `1_`, part 0 last. */
const withJs = (zero: string, more: [string, string | Blob][] = []) =>
  post([['1_loginName', 'jsmith'], ...more, ['0', zero]], { [ACTION_HEADER]: ID });

/** A form posted without JavaScript, its previous state bound as React renders it into the page. */
const withoutJs = (meta: string, bound: string | null, more: [string, string][] = []) =>
  post([
    ['$ACTION_REF_1', ''],
    ['$ACTION_1:0', meta],
    ...(bound === null ? [] : ([['$ACTION_1:1', bound]] as [string, string][])),
    ['$ACTION_KEY', 'k0'],
    ['loginName', 'jsmith'],
    ...more,
  ]);
const META = JSON.stringify({ id: ID, bound: '$@1' });

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('isMalformedActionRequest', () => {
  it('lets through what React sends, with JavaScript and without', async () => {
    for (const request of [
      withJs('[{"ok":false,"message":"$undefined","values":{"note":"$$5 off"}},"$K1"]'),
      withJs('["$@1","$K1"]', [['1', '{"ok":true,"at":"$D2026-12-01T00:00:00.000Z","n":"$n12","x":["$NaN","$-0","$Infinity","$-Infinity"]}']]),
      withJs('["$1","$K1"]', [['1', nested(20)]]),
      withJs('[{"values":{"name":"x"},"again":"$0:0:values"},"$K1"]'),
      withJs('[{"a":"$1"},"$0:0:a:b"]', [['1', '{"b":1}']]),
      withoutJs(META, '[{"ok":false}]'),
      withoutJs(META, '["$undefined"]'),
      withoutJs(JSON.stringify({ id: ID, bound: null }), null),
      post([[`$ACTION_ID_${ID}`, ''], ['loginName', 'jsmith']]),
    ]) {
      expect(await isMalformedActionRequest(request)).toBe(false);
    }
  });

  it("lets through what React's own encoder sends for a form's state: an object met twice (a path), dates, big numbers, text starting with $", async () => {
    const fieldErrors = { loginName: ['Enter your login name'] };
    const state = {
      ok: false,
      message: '$5 off',
      fieldErrors,
      again: fieldErrors,
      list: [fieldErrors, { nested: { deeper: [fieldErrors] } }],
      at: new Date(0),
      count: 10n,
      missing: undefined,
    };
    const form = new FormData();
    form.append('loginName', 'jsmith');
    for (const args of [[state, form], [form], [state], ['text', 1, null]]) {
      const encoded: FormData | string = await encodeReply(args);
      const body = encoded instanceof FormData ? encoded : new FormData();
      if (typeof encoded === 'string') body.append('0', encoded);
      const request = new Request('http://localhost/login', { method: 'POST', body, headers: { [ACTION_HEADER]: ID } });
      expect(await isMalformedActionRequest(request), JSON.stringify([...body.entries()])).toBe(false);
    }
    // No portal action takes a Set or a Map: React encodes them, and they are refused.
    const withSet: FormData = await encodeReply([{ picked: new Set([1]) }]);
    expect(await isMalformedActionRequest(new Request('http://localhost/login', { method: 'POST', body: withSet, headers: { [ACTION_HEADER]: ID } }))).toBe(true);
  });

  it('refuses what React would throw on: other markers, references to parts that are not there, depth', async () => {
    for (const marker of ['$Q1', '$W1', '$B1', '$i1', '$h1', '$T', '$R1', '$r1', '$X1', '$x1', '$A1', '$O1', '$L1', '$n1e5', `$n${'9'.repeat(301)}`, '$Z']) {
      expect(await isMalformedActionRequest(withJs(`[{},${JSON.stringify(marker)}]`, [['1', '[]']])), `with JS ${marker}`).toBe(true);
      expect(await isMalformedActionRequest(withoutJs(META, `[${JSON.stringify(marker)}]`)), `without JS ${marker}`).toBe(true);
    }
    for (const request of [
      withJs('[{},"$5"]'),
      withJs('[{},"$@5"]'),
      withJs('[{"values":{}},"$0:0:nothing"]'),
      // Nesting counted across parts: 150 parts of 31 levels, each naming the next.
      withJs('["$1"]', Array.from({ length: 63 }, (_, i): [string, string] => [String(i + 1), `${'['.repeat(30)}"$${(i + 2).toString(16)}"${']'.repeat(30)}`]).reverse()),
      withJs('["$3"]', [['1', '[]'], ['2', `${'['.repeat(20)}"$1"${']'.repeat(20)}`], ['3', `${'['.repeat(20)}"$2"${']'.repeat(20)}`]].map(([n, v]) => [n, v] as [string, string])),
      // Part 0 first: streamed, it names a part that has not arrived.
      post([['0', '["$1","$K1"]'], ['1', '[]']], { [ACTION_HEADER]: ID }),
      withJs('["$1"]', [['01', '[]']]),
      // A path that goes on past a value React resolves to text or a FormData.
      withJs('[{"a":"$$x"},"$0:0:a:zzz"]'),
      withJs('[{"a":"$K1"},"$0:0:a:zzz"]'),
      withJs('[{"a":"$1"},"$0:0:a:zzz"]', [['1', '{"b":1}']]),
      withJs('[{"values":"text"},"$0:0:values:length"]'),
      withJs('[{},"$0:__proto__"]'),
      withJs(nested(5000)),
      withJs('[{},"$K1"]', [['1', '{bad']]),
      withJs('[{},"$K1"]', [['1', new Blob(['[]'])]]),
      withoutJs(META, '{{{'),
      withoutJs(META, null),
      withoutJs(JSON.stringify({ id: ID, bound: '$@9' }), '[]'),
      withoutJs(JSON.stringify({ id: ID, bound: '$Q1' }), '[]'),
      withoutJs(META, nested(8000)),
      post([['$ACTION_REF_1', ''], ['loginName', 'jsmith']]),
    ]) {
      expect(await isMalformedActionRequest(request)).toBe(true);
    }
  });

  it('refuses a body that two parsers would read differently: every part one plain field, as browsers and React send them', async () => {
    const raw = (body: string, headers: Record<string, string> = { [ACTION_HEADER]: ID }) =>
      new Request('http://localhost/login', { method: 'POST', body, headers: { 'content-type': 'multipart/form-data; boundary=b0', ...headers } });
    const field = (name: string, value: string, extra = '') => `--b0\r\nContent-Disposition: form-data; name="${name}"\r\n${extra}\r\n${value}\r\n`;
    expect(await isMalformedActionRequest(raw(`${field('1', '[]')}${field('0', '[{},"$K1"]')}--b0--\r\n`))).toBe(false);
    // A tab and Latin-1 letters are read alike by both.
    expect(await isMalformedActionRequest(raw(`${field('a\tb', 'x')}${field('caf\u00e9', 'x')}${field('0', '[{},"$K1"]')}--b0--\r\n`))).toBe(false);
    for (const [what, body] of [
      // busboy (Next.js) reads the first name, undici (this check) the last: a decoy part 0 hid the real one.
      ['two names', `${field('0', '[{},"$Q1"]', 'Content-Disposition: form-data; name="h0"\r\n')}${field('decoy', '[{},"$K1"]', 'Content-Disposition: form-data; name="0"\r\n')}--b0--\r\n`],
      ['a transfer encoding', `${field('0', 'W3t9LCIkUTEiXQ==', 'Content-Transfer-Encoding: base64\r\n')}--b0--\r\n`],
      ['a file', `--b0\r\nContent-Disposition: form-data; name="0"; filename=""\r\n\r\n[{},"$K1"]\r\n--b0--\r\n`],
      ['a part type', `${field('0', '[{},"$K1"]', 'Content-Type: application/json\r\n')}--b0--\r\n`],
      ['text before the first boundary', `hello\r\n${field('0', '[{},"$K1"]')}--b0--\r\n`],
      ['no closing boundary', field('0', '[{},"$K1"]')],
      ['an escaped quote in a name', `--b0\r\nContent-Disposition: form-data; name="a\\"; name="0"\r\n\r\n[{},"$K1"]\r\n--b0--\r\n`],
      // busboy refuses these by throwing (a 500): a control character in a header, a head past 16 KiB.
      ['a control character in a name', `${field('a\u0000b', 'x')}${field('0', '[{},"$K1"]')}--b0--\r\n`],
      ['a delete character in a name', `${field('a\u007fb', 'x')}${field('0', '[{},"$K1"]')}--b0--\r\n`],
      ['a name of 16 KiB', `${field('a'.repeat(16 * 1024), 'x')}${field('0', '[{},"$K1"]')}--b0--\r\n`],
    ] as const) {
      expect(await isMalformedActionRequest(raw(body)), what).toBe(true);
      // The same, posted as a form without JavaScript.
      expect(await isMalformedActionRequest(raw(body, {})), `${what}, without JavaScript`).toBe(true);
    }
    // What a browser sends for a file input: the portal has none.
    expect(await isMalformedActionRequest(post([['message', 'hello'], ['attachment', new Blob(['x'])]]))).toBe(true);
  });

  it("refuses a call whose arguments are not a list: Next.js threw applying them", async () => {
    for (const zero of ['1', '{"a":1}', '"text"', 'null']) expect(await isMalformedActionRequest(withJs(zero)), zero).toBe(true);
  });

  it('refuses more arguments than any action of ours takes, passed with JavaScript or bound to a form: Next.js and React threw past 1,000 (review r55d F3)', async () => {
    const zeros = (count: number) => JSON.stringify(Array(count).fill(0));
    // With JavaScript: the call's own arguments, part 0.
    for (const count of [2, 8]) expect(await isMalformedActionRequest(withJs(zeros(count))), `${count} with JS`).toBe(false);
    for (const count of [9, 1001]) expect(await isMalformedActionRequest(withJs(zeros(count))), `${count} with JS`).toBe(true);
    // Without: the arguments the form binds to its action, the part its `bound` names.
    for (const count of [1, 8]) expect(await isMalformedActionRequest(withoutJs(META, zeros(count))), `${count} bound`).toBe(false);
    for (const count of [9, 1001]) expect(await isMalformedActionRequest(withoutJs(META, zeros(count))), `${count} bound`).toBe(true);
    // React reads the length of whatever is bound: an object or text claiming 5,000 threw as well.
    for (const bound of ['{"length":5000}', JSON.stringify('x'.repeat(1001))]) expect(await isMalformedActionRequest(withoutJs(META, bound)), bound.slice(0, 20)).toBe(true);
    // React binds a list reached through another part too: only the shape React writes passes.
    const throughAnother = (bound: string, one: string) => withoutJs(JSON.stringify({ id: ID, bound }), one, [['$ACTION_1:2', zeros(1001)]]);
    expect(await isMalformedActionRequest(throughAnother('$1', '"$@2"'))).toBe(true);
    expect(await isMalformedActionRequest(throughAnother('$@1', '"$2"'))).toBe(true);
    expect(await isMalformedActionRequest(withoutJs(JSON.stringify({ id: ID }), null))).toBe(true);
  });

  it('refuses at once references whose paths name further references, whose work multiplies at each level', async () => {
    // Level i names the next through a path of two keys, and each key meets a reference again:
    // about 3^levels steps to follow (14 levels, 1 KB, held the event loop for over a minute).
    const bomb = (levels: number) => {
      const step = (i: number) => (i === levels ? `$1:o${levels}` : `$1:x${i}:y:y:p:o${i}`);
      const part: Record<string, unknown> = {};
      for (let i = 0; i <= levels; i++) {
        if (i < levels) part[`x${i}`] = step(i + 1);
        part[`o${i}`] = { y: step(i), p: '$1' };
      }
      return { one: JSON.stringify(part), zero: JSON.stringify(step(0)) };
    };
    // Twenty levels: a check that followed every step would not finish within the test's time.
    const { one, zero } = bomb(20);
    expect(await isMalformedActionRequest(post([['1', one], ['0', zero]], { [ACTION_HEADER]: ID }))).toBe(true);
    // Without JavaScript, as bound arguments of a form.
    const meta = JSON.stringify({ id: ID, bound: '$@2' });
    expect(await isMalformedActionRequest(post([['$ACTION_REF_1', ''], ['$ACTION_1:0', meta], ['$ACTION_1:1', one], ['$ACTION_1:2', `[${zero}]`]]))).toBe(true);
  });

  it('refuses a form that names an action with bound arguments more than once, or more of them than a form holds: each would have the body checked again', async () => {
    const bound = (names: string[]) => post([...names.map((name): [string, string] => [name, '']), ['$ACTION_1:0', META], ['$ACTION_1:1', '[]'], ['loginName', 'jsmith']]);
    expect(await isMalformedActionRequest(bound(['$ACTION_REF_1']))).toBe(false);
    expect(await isMalformedActionRequest(bound(['$ACTION_REF_1', '$ACTION_REF_1']))).toBe(true);
    expect(await isMalformedActionRequest(bound(Array.from({ length: 520 }, () => '$ACTION_REF_1')))).toBe(true);
    // A form's own action and its buttons', each with its parts: eight pass, nine are more than a form of ours holds.
    const actions = (count: number) =>
      post(Array.from({ length: count }, (_, i): [string, string][] => [[`$ACTION_REF_${i}`, ''], [`$ACTION_${i}:0`, META], [`$ACTION_${i}:1`, '[]']]).flat());
    expect(await isMalformedActionRequest(actions(8))).toBe(false);
    expect(await isMalformedActionRequest(actions(9))).toBe(true);
  });

  it('counts every value it visits: a reply of more values than any of ours is refused, references or not', async () => {
    expect(await isMalformedActionRequest(withJs(`[{},"$K1",${JSON.stringify(Array(40_000).fill(0))}]`))).toBe(false);
    expect(await isMalformedActionRequest(withJs(`[{},"$K1",${JSON.stringify(Array(60_000).fill(0))}]`))).toBe(true);
  });

  it('refuses a body whose type only starts like a form: Next.js decodes it as one, and threw', async () => {
    const body = '--b\r\nContent-Disposition: form-data; name="loginName"\r\n\r\njsmith\r\n--b--\r\n';
    for (const type of ['multipart/form-dataX; boundary=b', 'multipart/form-data_; boundary=b', 'multipart/form-data1', 'multipart/form-data']) {
      expect(await isMalformedActionRequest(new Request('http://localhost/login', { method: 'POST', body, headers: { 'content-type': type } })), type).toBe(true);
    }
    expect(await isMalformedActionRequest(new Request('http://localhost/login', { method: 'POST', body, headers: { 'content-type': 'multipart/form-data; boundary=b' } }))).toBe(false);
  });

  it('refuses a call whose form type is written in capitals: Next.js takes only the lower-case type as a form, and parsed the body as JSON (r29a F1)', async () => {
    const body = '--b\r\nContent-Disposition: form-data; name="0"\r\n\r\n[]\r\n--b--\r\n';
    const call = (type: string) => new Request('http://localhost/login', { method: 'POST', body, headers: { 'content-type': type, [ACTION_HEADER]: ID } });
    for (const type of ['Multipart/Form-Data; boundary=b', 'MULTIPART/FORM-DATA; boundary=b', 'multipart/Form-data; boundary=b']) {
      expect(await isMalformedActionRequest(call(type)), type).toBe(true);
    }
    expect(await isMalformedActionRequest(call('multipart/form-data; boundary=b'))).toBe(false);
  });

  it('leaves other requests to the app', async () => {
    expect(await isMalformedActionRequest(new Request('http://localhost/login'))).toBe(false);
    const urlEncoded = new Request('http://localhost/login', { method: 'POST', body: new URLSearchParams({ $ACTION_REF_1: '' }) });
    expect(await isMalformedActionRequest(urlEncoded)).toBe(false);
  });
});
