// generateId: 16 lowercase hex chars, random.
import { describe, expect, it } from 'vitest';
import { generateId } from '../../../src/runtime/util/id.js';

describe('generateId', () => {
  it('gives 16 lowercase hex characters', () => {
    for (let i = 0; i < 600; i++) expect(generateId()).toMatch(/^[0-9a-f]{16}$/);
  });
  it('does not repeat across pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) seen.add(generateId());
    expect(seen.size).toBe(5000);
  });
  it('uses every hex digit', () => {
    const digits = new Set([...Array.from({ length: 200 }, generateId).join('')]);
    expect(digits.size).toBe(16);
  });
});
