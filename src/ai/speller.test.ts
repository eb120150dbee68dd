import { describe, expect, it } from 'vitest';
import { analyzeQuery } from './query.js';
import { createSpeller } from './speller.js';

describe('createSpeller', () => {
  it('corrects towards words articles use, and forgets a word once no article uses it', () => {
    const speller = createSpeller(() => false);
    speller.add('shipping');
    speller.add('password');
    speller.add('password');
    expect(speller.correct('shiping')).toBe('shipping');
    expect(speller.correct('pasword')).toBe('password');
    speller.remove('shipping');
    expect(speller.correct('shiping')).toBeUndefined();
    speller.remove('password');
    expect(speller.correct('pasword'), 'still used by one article').toBe('password');
    speller.remove('password');
    expect(speller.correct('pasword')).toBeUndefined();
    expect(speller.entries()).toEqual([]);
  });

  it('prefers the word more articles use, and restores saved counts', () => {
    const speller = createSpeller(() => false);
    speller.add('carts', 1);
    speller.add('cards', 5);
    expect(speller.correct('cars')).toBe('cards');
    const restored = createSpeller(() => false);
    for (const [word, count] of speller.entries()) restored.add(word, count);
    expect(restored.correct('cars')).toBe('cards');
  });

  it('corrects the same after words came and went as a speller made afresh', () => {
    const words = ['mapss', 'marbs', 'marcs', 'mards', 'marms', 'marns', 'marps', 'marqs', 'marts'];
    const edited = createSpeller(() => false);
    for (const w of words) edited.add(w);
    for (const w of words.slice(0, 5)) edited.remove(w);
    edited.remove('cards');
    edited.add('carts');
    edited.add('cards');
    const fresh = createSpeller(() => false);
    for (const w of [...words.slice(5), 'cards', 'carts']) fresh.add(w);
    for (const typo of ['mars', 'marss', 'cars', 'mrts'])
      expect(edited.correct(typo)).toBe(fresh.correct(typo));
    expect(fresh.correct('cars'), 'equals go alphabetically').toBe('cards');
  });
});

describe('analyzeQuery spelling', () => {
  it('corrects whole words only, never the letters of a word with digits in it', () => {
    const speller = createSpeller(() => false);
    speller.add('iphone');
    speller.add('qqedit0');
    expect(analyzeQuery('iphne case', speller.correct).terms).toContain('iphon');
    expect(analyzeQuery('iphone15 case', speller.correct).terms).not.toContain('iphon');
    expect(analyzeQuery('qqedit0', speller.correct).terms).toEqual(['qqedit0']);
  });
});
