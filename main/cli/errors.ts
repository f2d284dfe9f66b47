// Exit codes: 0 success, 2 bad input (message names the field), 1 anything else.
import { InvalidInput } from '../../shared/domain/sale';
import { MoneyError } from '../../shared/domain/money';
import { KeysFileError } from '../fiscal/crypto-keys';

export class UsageError extends Error {}

export function exitCodeFor(error: unknown): 1 | 2 {
  return error instanceof InvalidInput || error instanceof MoneyError || error instanceof KeysFileError || error instanceof UsageError
    ? 2
    : 1;
}
