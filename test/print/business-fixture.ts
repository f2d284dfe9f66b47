import { BusinessSchema, type Business } from '../../shared/domain/business';

export function parseBusiness(input: unknown): Business {
  return BusinessSchema.parse(input);
}
