import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DomainError, ValidationError, type FieldError } from '../platform/errors.js';
import { common } from './i18n/common.js';
import { Layout } from './layout.js';

/** Machine clients get problem+json; people get a page. */
export function wantsJson(req: FastifyRequest): boolean {
  const path = req.url.split('?')[0] ?? '';
  if (path.startsWith('/api/') || path.startsWith('/oparl/')) return true;
  const accept = req.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

export type Problem = {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
};

export function sendProblem(reply: FastifyReply, p: Omit<Problem, 'type'>) {
  return reply
    .code(p.status)
    .type('application/problem+json; charset=utf-8')
    .send({ type: `urn:samverka:problem:${p.code}`, ...p });
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

function ErrorPage({ req, status, code, detail }: { req: FastifyRequest; status: number; code: string; detail?: string | undefined }) {
  const t = common[req.locale];
  const [title, body] =
    status === 404
      ? [t.errorNotFoundTitle, t.errorNotFoundBody]
      : code === 'csrf_invalid'
        ? [t.errorCsrfTitle, t.errorCsrfBody]
        : status === 401
          ? [t.errorUnauthenticatedTitle, t.errorUnauthenticatedBody]
          : status === 403
            ? [t.errorForbiddenTitle, t.errorForbiddenBody]
            : status === 429
              ? [t.errorRateLimitTitle, t.errorRateLimitBody]
              : code === 'token_invalid'
                ? [t.errorBadLinkTitle, detail ?? '']
                : status === 409 || status === 422 || status === 400
                  ? [t.errorConflictTitle, detail ?? '']
                  : [t.errorServerTitle, t.errorServerBody];
  return (
    <Layout req={req} title={title}>
      <h1 class="ds-heading" data-size="lg">
        {title}
      </h1>
      <p class="ds-paragraph">{body}</p>
      {status === 401 && (
        <p class="ds-paragraph">
          <a class="ds-link" href={`/signin?next=${encodeURIComponent(req.url)}`}>
            {t.signIn}
          </a>
        </p>
      )}
      <p class="ds-paragraph">
        <a class="ds-link" href="/">
          {t.backHome}
        </a>
      </p>
    </Layout>
  );
}

export function sendError(req: FastifyRequest, reply: FastifyReply, status: number, code: string, detail?: string, errors?: FieldError[]) {
  if (wantsJson(req)) {
    return sendProblem(reply, {
      title: TITLES[status] ?? 'Error',
      status,
      code,
      ...(detail ? { detail } : {}),
      instance: req.url,
      ...(errors ? { errors } : {}),
    });
  }
  return reply.html(<ErrorPage req={req} status={status} code={code} detail={detail} />, status);
}

export function registerErrorHandling(app: FastifyInstance) {
  app.setNotFoundHandler((req, reply) => sendError(req, reply, 404, 'not_found', `No route or resource at ${req.url.split('?')[0]}`));

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof ValidationError) {
      return sendError(req, reply, 422, err.code, err.message, err.fields);
    }
    if (err instanceof DomainError) {
      return sendError(req, reply, err.status, err.code, err.message);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const fields = err.validation.map((v) => ({
        // Body fields are named as in the body (as service-level errors name them); others keep their place.
        field: [err.validationContext && err.validationContext !== 'body' ? err.validationContext : '', ...v.instancePath.split('/').filter(Boolean)].filter(Boolean).join('.') || (err.validationContext ?? 'body'),
        message: v.message ?? 'invalid',
      }));
      return sendError(req, reply, 422, 'validation_failed', 'The request is not valid.', fields);
    }
    if (err.statusCode === 429) return sendError(req, reply, 429, 'rate_limited', err.message);
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      const code = err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'payload_too_large' : err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'unsupported_media_type' : 'bad_request';
      return sendError(req, reply, err.statusCode, code, err.message);
    }
    req.log.error({ err }, 'unhandled error');
    return sendError(req, reply, 500, 'internal_error');
  });
}
