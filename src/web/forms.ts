import type { FastifyRequest } from 'fastify';
import { ConflictError, ValidationError } from '../platform/errors.js';
import type { FormState } from './form-fields.js';
import { defineCatalog, type Locale } from './i18n/index.js';

const messages = defineCatalog(
  {
    required: 'This field is required.',
    invalid: 'This value is not valid.',
    tooLong: 'This is too long.',
    tooShort: 'This is too short.',
    date: 'Use a real date: YYYY, YYYY-MM or YYYY-MM-DD.',
    url: 'Use a web address starting with http:// or https://.',
    email: 'Use a valid email address.',
    choice: 'Choose one of the options.',
    endBeforeStart: 'The end date is before the start date.',
    password: 'Use at least 10 characters.',
  },
  {
    sv: {
      required: 'Fältet är obligatoriskt.',
      invalid: 'Värdet är inte giltigt.',
      tooLong: 'Texten är för lång.',
      tooShort: 'Texten är för kort.',
      date: 'Ange ett riktigt datum: ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD.',
      url: 'Ange en webbadress som börjar med http:// eller https://.',
      email: 'Ange en giltig e-postadress.',
      choice: 'Välj ett av alternativen.',
      endBeforeStart: 'Slutdatumet ligger före startdatumet.',
      password: 'Använd minst 10 tecken.',
    },
    nb: {
      required: 'Feltet er påkrevd.',
      invalid: 'Verdien er ikke gyldig.',
      tooLong: 'Teksten er for lang.',
      tooShort: 'Teksten er for kort.',
      date: 'Oppgi en gyldig dato: ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD.',
      url: 'Oppgi en nettadresse som begynner med http:// eller https://.',
      email: 'Oppgi en gyldig e-postadresse.',
      choice: 'Velg et av alternativene.',
      endBeforeStart: 'Sluttdatoen er før startdatoen.',
      password: 'Bruk minst 10 tegn.',
    },
    da: {
      required: 'Feltet er påkrævet.',
      invalid: 'Værdien er ikke gyldig.',
      tooLong: 'Teksten er for lang.',
      tooShort: 'Teksten er for kort.',
      date: 'Angiv en gyldig dato: ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD.',
      url: 'Angiv en webadresse, der begynder med http:// eller https://.',
      email: 'Angiv en gyldig e-mailadresse.',
      choice: 'Vælg en af mulighederne.',
      endBeforeStart: 'Slutdatoen ligger før startdatoen.',
      password: 'Brug mindst 10 tegn.',
    },
  },
);

/**
 * Service messages are English sentences (they also go to API clients). For the
 * common kinds of problem we show the user's language instead; anything more
 * specific keeps the service's own sentence.
 */
export function localiseFieldMessage(locale: Locale, message: string, value?: string): string {
  const m = messages[locale];
  const s = message.toLowerCase();
  if (s.includes('end date is before')) return m.endBeforeStart;
  if (s.includes('yyyy') || s.includes('real date')) return m.date;
  if (s.includes('at least 10 characters')) return m.password;
  if (s.includes('http') || s.includes('url')) return m.url;
  if (s.includes('email')) return m.email;
  if (s.includes('invalid option') || s.includes('expected one of')) return value ? m.choice : m.required;
  if (s.startsWith('too small') || (s.includes('expected string') && !value)) return value ? m.tooShort : m.required;
  if (s.startsWith('too big')) return m.tooLong;
  if (s.startsWith('invalid input') || s.startsWith('invalid uuid') || s.startsWith('invalid string')) return value ? m.invalid : m.required;
  return message;
}

/**
 * Flattens a form body into strings for re-rendering, dropping the CSRF field and an uploaded
 * file; the fields named in `multi` (multi-selects) are joined by commas, others keep their first value.
 */
export function formValues(body: unknown, multi: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  if (body && typeof body === 'object') {
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
      if (k === '_csrf' || k === 'file') continue;
      if (multi.includes(k)) out[k] = formList(v).join(',');
      else out[k] = Array.isArray(v) ? String(v[0] ?? '') : v == null ? '' : String(v);
    }
  }
  return out;
}

/** A multi-select's values (one value, several, or none), without empty ones. */
export function formList(v: unknown): string[] {
  return (Array.isArray(v) ? v.map(String) : v == null || v === '' ? [] : [String(v)]).filter(Boolean);
}

export type FormOptions = {
  /** The body when it is not `req.body` (a multipart form read by the handler). */
  body?: unknown;
  /** Multi-select fields, re-rendered as comma-joined values. */
  multi?: readonly string[];
  /** The form field a service's field path belongs to (default: the path's first segment). */
  mapField?: (field: string) => string;
};

/**
 * Runs a form submission. On a validation or conflict error, returns the form
 * state to re-render (user's input kept, each field's message localised);
 * other errors propagate to the central error handler.
 */
export async function handleForm<T>(req: FastifyRequest, run: (values: Record<string, string>) => Promise<T>, opts: FormOptions = {}): Promise<{ ok: true; result: T } | { ok: false; form: FormState }> {
  const values = formValues(opts.body ?? req.body, opts.multi);
  const mapField = opts.mapField ?? ((f: string) => f.split('.')[0] || '_');
  try {
    return { ok: true, result: await run(values) };
  } catch (err) {
    if (err instanceof ValidationError) {
      const errors: Record<string, string> = {};
      for (const f of err.fields) {
        const key = mapField(f.field);
        errors[key] ??= localiseFieldMessage(req.locale, f.message, values[key]);
      }
      return { ok: false, form: { values, errors } };
    }
    if (err instanceof ConflictError) {
      return { ok: false, form: { values, errors: { [err.field ?? '_']: err.message } } };
    }
    throw err;
  }
}
