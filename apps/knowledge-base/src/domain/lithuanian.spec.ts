import { foldDiacritics, foldWord, wordsOf } from './lithuanian';

describe('Lithuanian folding for search', () => {
  it('folds case and every Lithuanian diacritic', () => {
    expect(foldDiacritics('ĄČĘĖĮŠŲŪŽ ąčęėįšųūž')).toBe('aceeisuuz aceeisuuz');
    expect(foldDiacritics('Įmonės kodas')).toBe('imones kodas');
  });

  it('brings a noun’s cases to one stem', () => {
    const forms = [
      'klientas',
      'kliento',
      'klientui',
      'klientą',
      'klientu',
      'kliente',
      'klientai',
      'klientų',
      'klientams',
      'klientus',
      'klientuose',
    ];
    expect(new Set(forms.map(foldWord))).toEqual(new Set(['klient']));
    expect(new Set(['įmonė', 'įmonės', 'įmonę', 'įmonėje', 'įmonėms'].map(foldWord))).toEqual(
      new Set(['imon']),
    );
    expect(new Set(['sąskaita', 'sąskaitos', 'sąskaitą', 'sąskaitų'].map(foldWord))).toEqual(
      new Set(['saskait']),
    );
  });

  it('takes the infinitive’s -ti off, so a verb meets its prefix', () => {
    expect(foldWord('sujungti')).toBe('sujung');
    expect(foldWord('Importuoti')).toBe('importuo');
  });

  it('leaves short words whole, and words of other languages mostly alone', () => {
    expect(foldWord('kas')).toBe('kas');
    expect(foldWord('ar')).toBe('ar');
    expect(foldWord('IBAN')).toBe('iban');
    expect(foldWord('merge')).toBe('merg');
  });

  it('splits text into words on anything that is not a letter or digit', () => {
    expect(wordsOf('PVM kodas: LT100001234567; „Įmonė“')).toEqual([
      'PVM',
      'kodas',
      'LT100001234567',
      'Įmonė',
    ]);
  });
});
