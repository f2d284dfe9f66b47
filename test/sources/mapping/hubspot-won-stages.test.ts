// Which HubSpot stages are won, read from the pipelines response (shared/sources/hubspot/won-stages.ts):
// metadata typed as strings or numbers, junk entries skipped rather than guessed, labels never used.
import { describe, expect, it } from 'vitest';
import { defaultWonStages, hubspotStages } from '../../../shared/sources/hubspot/won-stages';
import { mapHubspot } from '../../../shared/sources/hubspot/map-hubspot';
import { asNotWon } from './support';

const pipeline = {
  id: 'default',
  label: 'Sales Pipeline',
  stages: [
    { id: 'appointmentscheduled', label: 'Appointment Scheduled', metadata: { isClosed: 'false', probability: '0.2' } },
    { id: 'closedwon', label: 'Closed Won', metadata: { isClosed: 'true', probability: '1.0' } },
    { id: 'closedlost', label: 'Closed Lost', metadata: { isClosed: true, probability: 0 } },
    { id: 12345, metadata: { isClosed: ' TRUE ', probability: 1 } }, // a custom pipeline's numeric id, no label
    { id: 'won-by-name', label: 'Won!', metadata: { isClosed: 'false', probability: '1.0' } }, // a label says nothing
    { id: 'odd', label: 'Odd', metadata: { isClosed: 'true', probability: 'high' } },
    { label: 'no id' },
    null,
  ],
};

describe('hubspotStages', () => {
  it('won is closed with probability 1, lost closed with 0; strings and numbers alike', () => {
    const stages = hubspotStages({ results: [pipeline, { id: 'p2', stages: 'none' }, 'junk', null] });
    expect(stages.map((s) => [s.id, s.label, s.closed, s.probability ?? null, s.won, s.lost])).toEqual([
      ['appointmentscheduled', 'Appointment Scheduled', false, '0.2', false, false],
      ['closedwon', 'Closed Won', true, '1', true, false],
      ['closedlost', 'Closed Lost', true, '0', false, true],
      ['12345', '12345', true, '1', true, false],
      ['won-by-name', 'Won!', false, '1', false, false],
      ['odd', 'Odd', true, null, false, false],
    ]);
    expect(stages[0]).toMatchObject({ pipelineId: 'default', pipelineLabel: 'Sales Pipeline' });
  });

  it('accepts one pipeline, an array, or nothing usable', () => {
    expect(defaultWonStages(pipeline)).toEqual(['closedwon', '12345']);
    expect(defaultWonStages([{ stages: [{ id: 'w', metadata: { isClosed: 'true', probability: '1' } }] }])).toEqual(['w']);
    expect(hubspotStages([{ stages: [{ id: 'w' }] }])[0]).toMatchObject({ pipelineId: '', pipelineLabel: '', closed: false });
    expect(hubspotStages('nothing')).toEqual([]);
    expect(hubspotStages(undefined)).toEqual([]);
  });

  it('a deal in a lost stage is lost (not open), named by its label', () => {
    const deal = { id: '1', properties: { dealstage: 'closedlost', amount: '10' } };
    expect(asNotWon(mapHubspot({ deal, pipelines: { results: [pipeline] } })[0])).toMatchObject({
      status: 'lost',
      reason: 'stage closedlost "Closed Lost" is not a stage that issues an invoice (closedwon, 12345)',
    });
  });
});
