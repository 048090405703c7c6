/**
 * The form pieces every page shares: the CSRF field, the error summary, and the fields (text, text area,
 * select, file, check list) with their labels, help text and errors wired up for screen readers.
 */
import { type ComponentChildren } from 'preact';
import type { FastifyRequest } from 'fastify';
import { common } from './i18n/common.js';
import { sortByText, type Locale } from './i18n/index.js';

/** What a form re-renders with after a rejected submit: the user's input and per-field messages. */
export type FormState = { values: Record<string, string>; errors: Record<string, string> };
export const emptyForm = (values: Record<string, string> = {}): FormState => ({ values, errors: {} });

export function Csrf({ req }: { req: FastifyRequest }) {
  return <input type="hidden" name="_csrf" value={req.csrfToken} />;
}

/**
 * One action as a small button in a line of content (remove this file, end this role): a POST form
 * of its own with the CSRF token, so it works without JavaScript.
 */
export function PostButton({
  req,
  action,
  children,
  variant = 'tertiary',
  size = 'sm',
}: {
  req: FastifyRequest;
  action: string;
  children: ComponentChildren;
  variant?: 'primary' | 'secondary' | 'tertiary';
  size?: 'sm' | 'md';
}) {
  return (
    <form method="post" action={action} class="inline-form">
      <Csrf req={req} />
      <button class="ds-button" data-variant={variant} data-size={size} type="submit">
        {children}
      </button>
    </form>
  );
}

export function ErrorSummary({ req, form, labels }: { req: FastifyRequest; form: FormState; labels: Record<string, string> }) {
  const entries = Object.entries(form.errors);
  if (entries.length === 0) return null;
  return (
    <div class="ds-error-summary" role="alert" tabindex={-1} id="error-summary">
      <h2 class="ds-heading" data-size="xs">
        {common[req.locale].errorSummaryTitle}
      </h2>
      <ul class="ds-list">
        {entries.map(([field, msg]) => (
          <li>
            <a class="ds-link" href={`#f-${field}`}>
              {labels[field] ? `${labels[field]}: ` : ''}
              {msg}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

type FieldProps = {
  name: string;
  label: string;
  form: FormState;
  type?: 'text' | 'email' | 'password' | 'date' | 'url' | 'number' | 'search' | 'tel';
  required?: boolean;
  description?: string;
  autocomplete?: string;
  lang?: string;
};

/** Ids and ARIA wiring shared by every field: label, optional help text, and the error next to the control. */
function fieldIds(name: string, form: FormState, description?: string) {
  const id = `f-${name}`;
  const err = form.errors[name];
  const descId = description ? `${id}-desc` : undefined;
  const errId = err ? `${id}-err` : undefined;
  return {
    id,
    err,
    descId,
    errId,
    control: {
      id,
      name,
      'aria-invalid': err ? ('true' as const) : undefined,
      'aria-describedby': [descId, errId].filter(Boolean).join(' ') || undefined,
    },
  };
}

function FieldShell({ f, label, description, children }: { f: ReturnType<typeof fieldIds>; label: string; description?: string | undefined; children: ComponentChildren }) {
  return (
    <div class="ds-field">
      <label class="ds-label" for={f.id}>
        {label}
      </label>
      {description && (
        <p class="ds-paragraph field-desc" data-size="sm" id={f.descId}>
          {description}
        </p>
      )}
      {children}
      {f.err && (
        <p class="ds-validation-message" id={f.errId} data-color="danger">
          {f.err}
        </p>
      )}
    </div>
  );
}

export function TextField({ name, label, form, type = 'text', required, description, autocomplete, lang }: FieldProps) {
  const f = fieldIds(name, form, description);
  return (
    <FieldShell f={f} label={label} description={description}>
      <input
        class="ds-input"
        {...f.control}
        // Preact's types narrow input attributes by type; the union is valid HTML.
        type={type as 'text'}
        value={type === 'password' ? '' : (form.values[name] ?? '')}
        required={required}
        autocomplete={autocomplete}
        lang={lang}
      />
    </FieldShell>
  );
}

export function TextArea({ name, label, form, description, rows = 5, lang, required }: Omit<FieldProps, 'type'> & { rows?: number }) {
  const f = fieldIds(name, form, description);
  return (
    <FieldShell f={f} label={label} description={description}>
      <textarea class="ds-input" {...f.control} rows={rows} lang={lang} required={required}>
        {form.values[name] ?? ''}
      </textarea>
    </FieldShell>
  );
}

export function SelectField({
  name,
  label,
  form,
  options,
  required,
  description,
  sort,
}: Omit<FieldProps, 'type'> & {
  options: { value: string; label: string }[];
  /** Sort the options alphabetically in this language (an empty "none" choice stays first). */
  sort?: Locale;
}) {
  const f = fieldIds(name, form, description);
  const current = form.values[name] ?? '';
  if (sort) options = [...options.filter((o) => o.value === ''), ...sortByText(sort, options.filter((o) => o.value !== ''), (o) => o.label)];
  return (
    <FieldShell f={f} label={label} description={description}>
      <select class="ds-input" {...f.control} required={required}>
        {options.map((o) => (
          <option value={o.value} selected={o.value === current}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

/** A file input; the form around it needs enctype="multipart/form-data". */
export function FileField({ name, label, form, required, description, accept }: Omit<FieldProps, 'type' | 'autocomplete' | 'lang'> & { accept?: string }) {
  const f = fieldIds(name, form, description);
  return (
    <FieldShell f={f} label={label} description={description}>
      <input class="ds-input" {...f.control} type="file" required={required} accept={accept} />
    </FieldShell>
  );
}

/**
 * A multiple choice that stays usable with many options: a list of
 * checkboxes in a scrolling box showing at least five rows, with a filter
 * field that /assets/app.js wires up (without JavaScript every option is
 * still there to tick). Sends the same repeated `name` a <select multiple> would.
 */
export function CheckList({
  name,
  legend,
  options,
  selected,
  description,
  error,
  filterLabel,
}: {
  name: string;
  legend: string;
  options: { value: string; label: string; lang?: string | undefined }[];
  selected: readonly string[];
  description?: string | undefined;
  error?: string | undefined;
  /** Label of the filter field; shown when there are more than eight options. */
  filterLabel?: string | undefined;
}) {
  const id = `f-${name}`;
  const chosen = new Set(selected);
  return (
    <fieldset class="ds-fieldset check-list" id={id} aria-invalid={error ? 'true' : undefined} aria-describedby={[description ? `${id}-desc` : '', error ? `${id}-err` : ''].filter(Boolean).join(' ') || undefined}>
      <legend class="ds-label">{legend}</legend>
      {description && (
        <p class="ds-paragraph field-desc" data-size="sm" id={`${id}-desc`}>
          {description}
        </p>
      )}
      {filterLabel && options.length > 8 && (
        <div class="check-list__filter" hidden data-check-filter>
          <label class="ds-label" data-weight="regular" for={`${id}-filter`}>
            {filterLabel}
          </label>
          <input class="ds-input" type="search" id={`${id}-filter`} data-size="sm" autocomplete="off" />
        </div>
      )}
      <ul class="check-list__options">
        {options.map((o, i) => (
          <li>
            <input class="ds-input" type="checkbox" name={name} value={o.value} id={`${id}-${i}`} checked={chosen.has(o.value)} />
            <label for={`${id}-${i}`} lang={o.lang}>
              {o.label}
            </label>
          </li>
        ))}
      </ul>
      {error && (
        <p class="ds-validation-message" id={`${id}-err`} data-color="danger">
          {error}
        </p>
      )}
    </fieldset>
  );
}

