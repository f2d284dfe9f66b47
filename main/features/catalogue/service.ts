// The product catalogue (issue 14): the ledger's products with CSV import/export. Problems are
// InvalidInput naming the row and column, so the manager's screen can show them as they are.
import { CatalogueCsvError, productsFromCsv, productsToCsv } from '../../../shared/catalogue/product-csv';
import { CsvError } from '../../../shared/catalogue/csv';
import { InvalidInput } from '../../../shared/domain/sale';
import type { Data } from '../../ledger/data';

export function importCatalogueCsv(data: Data, csv: string): { added: number; updated: number } {
  let products;
  try {
    products = productsFromCsv(csv);
  } catch (e) {
    if (e instanceof CatalogueCsvError || e instanceof CsvError) throw new InvalidInput(`csv: ${e.message}`);
    throw e;
  }
  return data.catalogue.importAll(products);
}

export function exportCatalogueCsv(data: Data, terminal: string): { filename: string; csv: string } {
  return { filename: `products-${terminal}.csv`, csv: productsToCsv(data.catalogue.list()) };
}
