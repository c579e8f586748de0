/**
 * The record schemas of the sample network's certificate types. network-config/devnet.json
 * holds the same schemas (a test keeps them equal), so `init` gives the same network with or
 * without the repository.
 */
export const DRIVING_LICENCE_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Driving licence',
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    dateOfBirth: { type: 'string', format: 'date' },
    licenceNumber: { type: 'string', pattern: '^[A-Z0-9]{6,16}$' },
    categories: { type: 'array', items: { enum: ['AM', 'A1', 'A2', 'A', 'B', 'BE', 'C1', 'C', 'CE', 'D1', 'D', 'DE'] }, uniqueItems: true },
    address: {
      type: 'object',
      properties: { street: { type: 'string' }, city: { type: 'string' }, postcode: { type: 'string' } },
      required: ['city'],
      additionalProperties: false,
    },
    organDonor: { type: 'boolean' },
    penaltyPoints: { type: 'integer', minimum: 0, maximum: 100 },
  },
  required: ['name', 'dateOfBirth', 'licenceNumber', 'categories'],
  additionalProperties: false,
} as const;

export const NURSE_LICENCE_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Nursing licence',
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    registrationNumber: { type: 'string', pattern: '^[0-9]{2}[A-Z][0-9]{4}[A-Z]$' },
    fieldOfPractice: { enum: ['adult', 'children', 'mental health', 'learning disabilities', 'midwifery'] },
    conditions: { type: 'array', items: { type: 'string' } },
  },
  required: ['name', 'registrationNumber', 'fieldOfPractice'],
  additionalProperties: false,
} as const;
