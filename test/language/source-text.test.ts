import { describe, expect, it } from 'vitest';
import { SourceText } from '../../language/source-text.js';

describe('SourceText', () => {
  it('turns offsets into 1-based line and column only when asked', () => {
    const src = new SourceText('a.map', 'flow x\n  when y\r\nend');
    expect(src.lineCol(0)).toEqual({ line: 1, column: 1 });
    expect(src.lineCol(9)).toEqual({ line: 2, column: 3 });
    expect(src.lineText(2)).toBe('  when y');
    expect(src.lineCol(1000)).toEqual({ line: 3, column: 4 });
  });
});
