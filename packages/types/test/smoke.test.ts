import { describe, expect, it } from 'vitest';
import { placeholder } from '@uvm/types';
describe('smoke', () => { it('works', () => { expect(placeholder).toBe(1); }); });
