// The NRS `states` code list (GET /api/v1/invoice/resources/states), shipped so a terminal can be
// set up offline. The codes are ISO 3166-2:NG (36 states + the Federal Capital Territory); the
// NRS list uses them as is (captured sample: {"name":"Abia","code":"NG-AB"}). Refreshed at run time.
export interface StateEntry {
  code: string;
  name: string;
}

export const STATES: readonly StateEntry[] = [
  ['NG-AB', 'Abia'],
  ['NG-AD', 'Adamawa'],
  ['NG-AK', 'Akwa Ibom'],
  ['NG-AN', 'Anambra'],
  ['NG-BA', 'Bauchi'],
  ['NG-BY', 'Bayelsa'],
  ['NG-BE', 'Benue'],
  ['NG-BO', 'Borno'],
  ['NG-CR', 'Cross River'],
  ['NG-DE', 'Delta'],
  ['NG-EB', 'Ebonyi'],
  ['NG-ED', 'Edo'],
  ['NG-EK', 'Ekiti'],
  ['NG-EN', 'Enugu'],
  ['NG-FC', 'Federal Capital Territory'],
  ['NG-GO', 'Gombe'],
  ['NG-IM', 'Imo'],
  ['NG-JI', 'Jigawa'],
  ['NG-KD', 'Kaduna'],
  ['NG-KN', 'Kano'],
  ['NG-KT', 'Katsina'],
  ['NG-KE', 'Kebbi'],
  ['NG-KO', 'Kogi'],
  ['NG-KW', 'Kwara'],
  ['NG-LA', 'Lagos'],
  ['NG-NA', 'Nasarawa'],
  ['NG-NI', 'Niger'],
  ['NG-OG', 'Ogun'],
  ['NG-ON', 'Ondo'],
  ['NG-OS', 'Osun'],
  ['NG-OY', 'Oyo'],
  ['NG-PL', 'Plateau'],
  ['NG-RI', 'Rivers'],
  ['NG-SO', 'Sokoto'],
  ['NG-TA', 'Taraba'],
  ['NG-YO', 'Yobe'],
  ['NG-ZA', 'Zamfara'],
].map(([code, name]) => ({ code: code!, name: name! }));
