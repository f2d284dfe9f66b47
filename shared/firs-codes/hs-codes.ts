// A shipped subset of the NRS `hs-codes` list ({hscode, description}; HS 2022 six-digit headings
// written NNNN.NN, e.g. 1006.30): common retail goods, for the setup wizard's default and for
// offline checks. The platform's full list replaces it when fetched.
export interface HsEntry {
  hscode: string;
  description: string;
}

export const HS_CODES: readonly HsEntry[] = [
  ['0402.21', 'Milk and cream in powder, not sweetened, fat > 1.5%'],
  ['0407.21', 'Fresh eggs of fowls of the species Gallus domesticus'],
  ['0713.33', 'Kidney beans, dried, shelled'],
  ['0901.21', 'Coffee, roasted, not decaffeinated'],
  ['0902.30', 'Black tea (fermented), in packings of 3 kg or less'],
  ['1006.30', 'Rice, semi-milled or wholly milled'],
  ['1101.00', 'Wheat or meslin flour'],
  ['1507.90', 'Soya-bean oil and its fractions, refined'],
  ['1511.90', 'Palm oil and its fractions, refined'],
  ['1701.99', 'Cane or beet sugar, refined, other'],
  ['1902.30', 'Pasta, other (including instant noodles)'],
  ['1905.90', "Bread, pastry, cakes, biscuits and other bakers' wares"],
  ['2106.90', 'Food preparations not elsewhere specified'],
  ['2201.10', 'Mineral waters and aerated waters, unsweetened'],
  ['2202.10', 'Waters, sweetened or flavoured (soft drinks)'],
  ['2203.00', 'Beer made from malt'],
  ['2523.29', 'Portland cement, other than white'],
  ['2710.12', 'Light petroleum oils (petrol)'],
  ['3004.90', 'Medicaments in measured doses, other'],
  ['3305.10', 'Shampoos'],
  ['3401.11', 'Soap for toilet use, in bars or cakes'],
  ['3402.50', 'Washing and cleaning preparations, put up for retail sale'],
  ['4818.10', 'Toilet paper'],
  ['6109.10', 'T-shirts, singlets and other vests, knitted, of cotton'],
  ['6403.99', 'Footwear with leather uppers, other'],
  ['8471.30', 'Portable computers (laptops)'],
  ['8517.13', 'Smartphones'],
  ['8528.72', 'Television receivers, colour'],
].map(([hscode, description]) => ({ hscode: hscode!, description: description! }));

/** An HS code's shape as the list writes it: four digits, a dot, two digits. */
export const HS_CODE = /^\d{4}\.\d{2}$/;
