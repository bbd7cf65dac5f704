import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseJsonLine, readJsonl, type JsonlLine } from './jsonl';

describe('JSONL reader', () => {
  it('parses a line, skips a blank one, and names a malformed one', () => {
    expect(parseJsonLine('  {"a":1}\r', 3)).toEqual({ line: 3, value: { a: 1 } });
    expect(parseJsonLine('\ufeff[1]', 1)).toEqual({ line: 1, value: [1] });
    expect(parseJsonLine('   ', 2)).toBeNull();
    expect(parseJsonLine('{"a":', 4)).toMatchObject({
      line: 4,
      malformed: expect.stringMatching(/^malformed JSON: /),
    });
  });

  it('reads a file line by line with line numbers from 1', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tw-jsonl-'));
    try {
      const file = path.join(dir, 'x.jsonl');
      writeFileSync(file, '{"a":1}\r\n\nnope\n{"b":2}');
      const got: JsonlLine[] = [];
      for await (const l of readJsonl(file)) got.push(l);
      expect(got).toEqual([
        { line: 1, value: { a: 1 } },
        { line: 3, malformed: expect.stringMatching(/^malformed JSON/) as string },
        { line: 4, value: { b: 2 } },
      ]);
      await expect(readJsonl(path.join(dir, 'none.jsonl')).next()).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
