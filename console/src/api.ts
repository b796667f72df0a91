/**
 * The console's only door to the API: JSON over fetch with the bearer token, problem+json errors
 * turned into `ApiError`, and a 401 anywhere (except the login call) sending the user back to login.
 */
import type { Role, ScopeLevel } from '../../domain/access.js';
import { getLang } from './i18n.js';
import { fieldErrorText, type FieldError, type Problem } from './problems.js';
import type { Page, PageParams } from '../../api/http/route.js';
import type { User, CreateUserRequest, ListUsersQuery } from '../../api/users/schemas.js';
import type { LoginResponse } from '../../api/auth/schemas.js';
import type { Company, Project, Unit, UnitStatus, ListUnitsQuery } from '../../api/org/schemas.js';
import type { Customer, CreateCustomerRequest, ListCustomersQuery } from '../../api/customers/schemas.js';
import type { Email, EmailStatus } from '../../api/outbox/schemas.js';
import { getToken } from './session.js';

/*
 * The API's answers and requests are typed by the server's own schemas (api/<module>/schemas.ts:
 * zod schemas and the types inferred from them), imported as types only: Vite erases them, and a
 * change of the contract on the server fails the console's typecheck instead of drifting.
 */
export type { Role, ScopeLevel };
export type { Page, PageParams } from '../../api/http/route.js';
export type { User, CreateUserRequest } from '../../api/users/schemas.js';
export type { LoginResponse } from '../../api/auth/schemas.js';
export type { Company, Project, Unit, UnitStatus } from '../../api/org/schemas.js';
export type { Customer, CreateCustomerRequest } from '../../api/customers/schemas.js';
export type { Email, EmailStatus } from '../../api/outbox/schemas.js';

/** A list's filters: its query as the API's schema takes it, without the page. */
export type Filters<Q> = Omit<Q, 'page' | 'pageSize'>;

/**
 * Every member of a union the API states, as a runtime list in the order given: the server's lists
 * live beside zod and Prisma, out of the bundle, so a Record keyed by the union stands in for them —
 * a member added on the server fails the typecheck here until the console lists it.
 */
export function membersOf<T extends string>(all: Record<T, true>): T[] {
  return Object.keys(all) as T[];
}

export const UNIT_STATUSES = membersOf<UnitStatus>({ AVAILABLE: true, RESERVED: true, SOLD: true, DELIVERED: true });
export const OUTBOX_STATUSES = membersOf<EmailStatus>({ PENDING: true, SENT: true, HELD: true, FAILED: true });

export type { FieldError, Problem };

export class ApiError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.name = 'ApiError';
    this.problem = problem;
  }
  get status(): number {
    return this.problem.status;
  }
}

/** A request that never reached the API or got no usable answer (network down, proxy error page). */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'NetworkError';
  }
}

let unauthorizedHandler: (() => void) | null = null;

/** The app shell registers what happens on a 401: drop the session and show the login page. */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  unauthorizedHandler = handler;
}

/** crypto.randomUUID exists only in secure contexts; an intranet http:// deployment still needs keys. */
export function uuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

type QueryValue = string | number | boolean | null | undefined;

interface RequestOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
  /** false for the login call: its 401 means wrong credentials, not an expired session. */
  auth?: boolean;
  /** A key the caller keeps across retries of the same submit (else a fresh one per POST). */
  idempotencyKey?: string;
  /** Sent as Accept instead of JSON; the answer is then returned as a Blob (CSV downloads). */
  accept?: string;
}

function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

function isProblem(value: unknown): value is Problem {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.title === 'string' && typeof v.status === 'number';
}

export async function request<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = {
    Accept: options.accept ? `${options.accept}, application/problem+json` : 'application/json, application/problem+json',
    // The server writes a problem's title and detail in this language (the console translates codes itself; this is its fallback).
    'Accept-Language': getLang(),
  };
  const useAuth = options.auth !== false;
  const token = getToken();
  if (useAuth && token) headers.Authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  // A fresh key per submit: a retried network call is not applied twice, a corrected form is a new request.
  if (method === 'POST' && useAuth) headers['Idempotency-Key'] = options.idempotencyKey ?? uuid();

  let res: Response;
  try {
    res = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      body,
      signal: options.signal,
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new NetworkError(err);
  }

  if (options.accept && res.ok) return (await res.blob()) as T;

  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }

  if (!res.ok) {
    if (res.status === 401 && useAuth) unauthorizedHandler?.();
    const problem: Problem = isProblem(data)
      ? data
      : { title: res.statusText || `HTTP ${res.status}`, status: res.status, code: res.status >= 500 ? 'INTERNAL' : 'HTTP_ERROR' };
    throw new ApiError(problem);
  }
  return data as T;
}

export const api = {
  login: (username: string, password: string) =>
    request<LoginResponse>('POST', '/api/auth/login', { body: { username, password }, auth: false }),
  me: (signal?: AbortSignal) => request<User>('GET', '/api/auth/me', { signal }),

  companies: (p: PageParams, signal?: AbortSignal) => request<Page<Company>>('GET', '/api/companies', { query: { ...p }, signal }),
  projects: (p: PageParams, signal?: AbortSignal) => request<Page<Project>>('GET', '/api/projects', { query: { ...p }, signal }),
  project: (id: string, signal?: AbortSignal) => request<Project>('GET', `/api/projects/${encodeURIComponent(id)}`, { signal }),
  units: (projectId: string, p: PageParams & Filters<ListUnitsQuery>, signal?: AbortSignal) =>
    request<Page<Unit>>('GET', `/api/projects/${encodeURIComponent(projectId)}/units`, { query: { ...p }, signal }),

  customers: (p: PageParams & Filters<ListCustomersQuery>, signal?: AbortSignal) =>
    request<Page<Customer>>('GET', '/api/customers', { query: { ...p }, signal }),
  createCustomer: (body: CreateCustomerRequest) => request<Customer>('POST', '/api/customers', { body }),

  users: (p: PageParams & Filters<ListUsersQuery>, signal?: AbortSignal) => request<Page<User>>('GET', '/api/users', { query: { ...p }, signal }),
  createUser: (body: CreateUserRequest) => request<User>('POST', '/api/users', { body }),

  outbox: (p: PageParams, signal?: AbortSignal) => request<Page<Email>>('GET', '/api/outbox', { query: { ...p }, signal }),
};

/**
 * Field errors keyed by form field: `body.phone` → `phone`, in the console's language. Errors of
 * other paths stay in `rest` (ProblemAlert translates them).
 */
export function fieldErrorsOf(err: unknown, fields: readonly string[]): { byField: Record<string, string>; rest: FieldError[] } {
  const byField: Record<string, string> = {};
  const rest: FieldError[] = [];
  if (!(err instanceof ApiError)) return { byField, rest };
  for (const e of err.problem.errors ?? []) {
    const field = e.path.replace(/^body\./, '').split('.')[0] ?? '';
    if (fields.includes(field)) {
      const prev = byField[field];
      const text = fieldErrorText(getLang(), e);
      byField[field] = prev ? `${prev}; ${text}` : text;
    } else {
      rest.push(e);
    }
  }
  return { byField, rest };
}
