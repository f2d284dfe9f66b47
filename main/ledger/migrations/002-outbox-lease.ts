import type { Migration } from './index';

// A job being worked on carries a lease: who holds it and until when. A worker that dies
// mid-job leaves a lease that expires, so the job is picked up again, never by two at once.
export const outboxLease: Migration = {
  id: '002-outbox-lease',
  sql: `
  ALTER TABLE outbox ADD COLUMN lease_owner TEXT;
  ALTER TABLE outbox ADD COLUMN lease_until INTEGER;
  `,
};
