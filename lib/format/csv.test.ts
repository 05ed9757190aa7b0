import { describe, expect, it } from 'vitest';
import { csvCell, csvDocument } from './csv';

describe('CSV', () => {
  it.each([
    ['=HYPERLINK("http://evil.example")', `"'=HYPERLINK(""http://evil.example"")"`],
    ['+1 512 555 0178', `"'+1 512 555 0178"`],
    ['-2+3', `"'-2+3"`],
    ['@SUM(A1)', `"'@SUM(A1)"`],
    ['\t=1', `"'\t=1"`],
    ['\r=1', `"'\r=1"`],
    ['\uFF1DHYPERLINK("http://evil.example")', `"'\uFF1DHYPERLINK(""http://evil.example"")"`],
    ['  =1+1', `"'  =1+1"`],
    ['\u3000\uFF0B1', `"'\u3000\uFF0B1"`],
    ['plain', '"plain"'],
    ['a "quoted" word', '"a ""quoted"" word"'],
    ['two\r\nlines, one cell', '"two\r\nlines, one cell"'],
  ])('keeps %j text that no spreadsheet runs: %s', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('writes dates as ISO 8601 and nothing as an empty cell', () => {
    expect(csvCell(new Date('2026-12-01T00:00:00Z'))).toBe('"2026-12-01T00:00:00.000Z"');
    expect(csvCell(null)).toBe('""');
    expect(csvCell(undefined)).toBe('""');
    expect(csvCell(42)).toBe('"42"');
  });

  it('ends every line, the last one too, with CRLF', () => {
    expect(csvDocument(['a', 'b'], [[1, '=x'], [null, 'y']])).toBe('a,b\r\n"1","\'=x"\r\n"","y"\r\n');
    expect(csvDocument(['a'], [])).toBe('a\r\n');
  });
});
