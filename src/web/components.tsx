import type { ComponentChildren } from 'preact';
import type { FastifyRequest } from 'fastify';
import { common } from './i18n/common.js';

/** What a form re-renders with after a rejected submit: the user's input and per-field messages. */
export type FormState = { values: Record<string, string>; errors: Record<string, string> };
export const emptyForm = (values: Record<string, string> = {}): FormState => ({ values, errors: {} });

export function Csrf({ req }: { req: FastifyRequest }) {
  return <input type="hidden" name="_csrf" value={req.csrfToken} />;
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

export function TextArea({ name, label, form, description, rows = 5, lang }: Omit<FieldProps, 'type'> & { rows?: number }) {
  const f = fieldIds(name, form, description);
  return (
    <FieldShell f={f} label={label} description={description}>
      <textarea class="ds-input" {...f.control} rows={rows} lang={lang}>
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
}: Omit<FieldProps, 'type'> & { options: { value: string; label: string }[] }) {
  const f = fieldIds(name, form, description);
  const current = form.values[name] ?? '';
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

/** A data table with column headers (and a caption, which every table should have unless a heading right above names it); rows are passed as children. */
export function Table({ caption, head, children, border = true }: { caption?: string; head: (string | { hidden: string })[]; children: ComponentChildren; border?: boolean }) {
  return (
    <table class="ds-table" data-border={border ? 'true' : undefined}>
      {caption && <caption>{caption}</caption>}
      <thead>
        <tr>
          {head.map((h) => (
            <th scope="col">{typeof h === 'string' ? h : <span class="visually-hidden">{h.hidden}</span>}</th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

export function Button({ children, variant = 'primary', type = 'submit' }: { children: ComponentChildren; variant?: 'primary' | 'secondary' | 'tertiary'; type?: 'submit' | 'button' }) {
  return (
    <button class="ds-button" data-variant={variant} type={type}>
      {children}
    </button>
  );
}

export function ButtonLink({ href, children, variant = 'secondary' }: { href: string; children: ComponentChildren; variant?: 'primary' | 'secondary' | 'tertiary' }) {
  return (
    <a class="ds-button" data-variant={variant} href={href}>
      {children}
    </a>
  );
}

export function Alert({ children, color = 'info' }: { children: ComponentChildren; color?: 'info' | 'success' | 'warning' | 'danger' }) {
  return (
    <div class="ds-alert" data-color={color} role={color === 'danger' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

export function Pager({ req, page, hasMore, base }: { req: FastifyRequest; page: number; hasMore: boolean; base: string }) {
  if (page <= 1 && !hasMore) return null;
  const t = common[req.locale];
  const sep = base.includes('?') ? '&' : '?';
  return (
    <nav aria-label={t.pagination} class="pager">
      {page > 1 && (
        <a class="ds-link" rel="prev" href={`${base}${sep}page=${page - 1}`}>
          {t.previous}
        </a>
      )}
      {hasMore && (
        <a class="ds-link" rel="next" href={`${base}${sep}page=${page + 1}`}>
          {t.next}
        </a>
      )}
    </nav>
  );
}
