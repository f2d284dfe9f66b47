// A shipped subset of the NRS `services-codes` list ({code, description}): ISIC Rev. 4 classes
// (four digits) common to shops and service businesses. The platform's full list replaces it.
export interface ServiceEntry {
  code: string;
  description: string;
}

export const SERVICE_CODES: readonly ServiceEntry[] = [
  ['4520', 'Maintenance and repair of motor vehicles'],
  ['4711', 'Retail sale in non-specialized stores with food, beverages or tobacco predominating'],
  ['4719', 'Other retail sale in non-specialized stores'],
  ['4921', 'Urban and suburban passenger land transport'],
  ['5320', 'Courier activities'],
  ['5510', 'Short term accommodation activities'],
  ['5610', 'Restaurants and mobile food service activities'],
  ['5630', 'Beverage serving activities'],
  ['6201', 'Computer programming activities'],
  ['6910', 'Legal activities'],
  ['6920', 'Accounting, bookkeeping and auditing activities; tax consultancy'],
  ['7020', 'Management consultancy activities'],
  ['7310', 'Advertising'],
  ['8121', 'General cleaning of buildings'],
  ['8559', 'Other education n.e.c.'],
  ['8620', 'Medical and dental practice activities'],
  ['9311', 'Operation of sports facilities'],
  ['9601', 'Washing and (dry-) cleaning of textile and fur products'],
  ['9602', 'Hairdressing and other beauty treatment'],
].map(([code, description]) => ({ code: code!, description: description! }));

/** An ISIC class code: four digits. */
export const ISIC_CODE = /^\d{4}$/;
