import type { Json, JsonObject } from '@certledger/certs';

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Separates the items of a list in one CSV cell: `B;BE;C1`. */
export const LIST_SEPARATOR = ';';

/** The schema of the field at `path`, following `properties`; undefined when the schema does not say. */
export function schemaOfField(schema: JsonObject, path: readonly string[]): JsonObject | undefined {
  let node: JsonObject | undefined = schema;
  for (const segment of path) {
    const properties: Json | undefined = node?.properties;
    const child: Json | undefined = isObject(properties) ? properties[segment] : undefined;
    node = isObject(child) ? child : undefined;
  }
  return node;
}

type JsonType = 'null' | 'boolean' | 'integer' | 'number' | 'array' | 'object' | 'string';
/** Types tried in this order, so "12" becomes a number when the field may be a number or a text. */
const TRY_ORDER: readonly JsonType[] = ['null', 'boolean', 'integer', 'number', 'array', 'object', 'string'];

const EXPECTED: Record<JsonType, string> = {
  null: 'null',
  boolean: 'true or false',
  integer: 'a whole number',
  number: 'a number',
  array: `a list (items separated by "${LIST_SEPARATOR}")`,
  object: 'a JSON object',
  string: 'a text',
};

function typeOfValue(value: Json): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value as 'boolean' | 'object' | 'string';
}

/** The JSON types a field may take: its `type`, else the types of its `enum`/`const` values, else text. */
function allowedTypes(schema: JsonObject | undefined): Set<JsonType> {
  const declared = schema?.type;
  if (typeof declared === 'string') return new Set([declared as JsonType]);
  if (Array.isArray(declared)) return new Set(declared as JsonType[]);
  const values = Array.isArray(schema?.enum) ? schema.enum : schema && 'const' in schema ? [schema.const as Json] : [];
  return new Set(values.length > 0 ? values.map(typeOfValue) : ['string']);
}

export type CellValue = { readonly ok: true; readonly value: Json } | { readonly ok: false; readonly expected: string };

function convert(text: string, type: JsonType, schema: JsonObject | undefined): Json | undefined {
  switch (type) {
    case 'null':
      return text === 'null' ? null : undefined;
    case 'boolean':
      return /^(true|false)$/i.test(text) ? text.toLowerCase() === 'true' : undefined;
    case 'integer':
      return /^[+-]?\d+$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : undefined;
    case 'number':
      return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) && Number.isFinite(Number(text)) ? Number(text) : undefined;
    case 'array': {
      const items = text.split(LIST_SEPARATOR).map((item) => item.trim()).filter((item) => item !== '');
      const itemSchema = isObject(schema?.items) ? schema.items : undefined;
      const values = items.map((item) => cellValue(item, itemSchema));
      return values.every((v) => v.ok) ? values.map((v) => (v as { value: Json }).value) : undefined;
    }
    case 'object': {
      try {
        const value = JSON.parse(text) as Json;
        return isObject(value) ? value : undefined;
      } catch {
        return undefined;
      }
    }
    case 'string':
      return text;
  }
}

/**
 * A CSV cell as the JSON value its field's schema asks for: numbers, true/false, null, lists
 * (items separated by ";", each converted by `items`), JSON objects, or text. A field the
 * schema does not describe stays text, and the schema check then says what is wrong.
 */
export function cellValue(text: string, schema: JsonObject | undefined): CellValue {
  const allowed = allowedTypes(schema);
  for (const type of TRY_ORDER) {
    if (!allowed.has(type)) continue;
    const value = convert(text, type, schema);
    if (value !== undefined) return { ok: true, value };
  }
  const expected = TRY_ORDER.filter((type) => allowed.has(type)).map((type) => EXPECTED[type]);
  return { ok: false, expected: expected.length > 0 ? expected.join(' or ') : 'of a type the schema allows' };
}
