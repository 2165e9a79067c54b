import { amountInWords, euroForm } from './amount-in-words';

describe('amounts in Lithuanian words', () => {
  it.each([
    ['0.00', 'Nulis eurų 00 ct'],
    ['1.00', 'Vienas euras 00 ct'],
    ['2.50', 'Du eurai 50 ct'],
    ['9.09', 'Devyni eurai 09 ct'],
    ['10.00', 'Dešimt eurų 00 ct'],
    ['11.11', 'Vienuolika eurų 11 ct'],
    ['19.99', 'Devyniolika eurų 99 ct'],
    ['21.01', 'Dvidešimt vienas euras 01 ct'],
    ['22.00', 'Dvidešimt du eurai 00 ct'],
    ['100.00', 'Šimtas eurų 00 ct'],
    ['111.00', 'Šimtas vienuolika eurų 00 ct'],
    ['121.00', 'Šimtas dvidešimt vienas euras 00 ct'],
    ['200.00', 'Du šimtai eurų 00 ct'],
    ['1000.00', 'Tūkstantis eurų 00 ct'],
    ['1001.00', 'Tūkstantis vienas euras 00 ct'],
    ['2000.00', 'Du tūkstančiai eurų 00 ct'],
    ['10000.00', 'Dešimt tūkstančių eurų 00 ct'],
    ['21000.00', 'Dvidešimt vienas tūkstantis eurų 00 ct'],
    ['100000.00', 'Šimtas tūkstančių eurų 00 ct'],
    ['101101.01', 'Šimtas vienas tūkstantis šimtas vienas euras 01 ct'],
    [
      '999999.99',
      'Devyni šimtai devyniasdešimt devyni tūkstančiai devyni šimtai devyniasdešimt devyni eurai 99 ct',
    ],
  ])('%s → %s', (amount, words) => {
    expect(amountInWords(amount)).toBe(words);
  });

  it.each([
    [0n, 'eurų'],
    [1n, 'euras'],
    [5n, 'eurai'],
    [11n, 'eurų'],
    [15n, 'eurų'],
    [20n, 'eurų'],
    [31n, 'euras'],
    [111n, 'eurų'],
    [112n, 'eurų'],
    [121n, 'euras'],
    [1_000_001n, 'euras'],
  ])('%s takes "%s"', (euros, form) => {
    expect(euroForm(euros)).toBe(form);
  });

  it('refuses a negative amount', () => {
    expect(() => amountInWords('-1.00')).toThrow(RangeError);
  });
});
