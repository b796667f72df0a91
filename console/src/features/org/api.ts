/**
 * The organisation feature's server state on TanStack Query: companies, projects, a project with
 * its units and construction-progress notes, and users. Keys start with 'org'; creating a user or
 * publishing a note refreshes the lists it changed.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ListProjectsQuery, ListUnitsQuery } from '../../../../api/org/schemas.js';
import type { ProgressNote, ProgressNoteRequest } from '../../../../api/sales/schemas.js';
import type { BuildingView, UpdateBuildingBody } from '../../../../api/warranty/schemas.js';
import type { z } from 'zod';
import type { ListUsersQuery } from '../../../../api/users/schemas.js';
import { api, request, type Company, type CreateUserRequest, type Filters, type Page, type PageParams, type Project, type User } from '../../api.js';

export type ProjectFilters = Filters<ListProjectsQuery>;
export type UnitFilters = Filters<ListUnitsQuery>;
export type UserFilters = Filters<ListUsersQuery>;
export type { ProgressNote };
export type Building = z.output<typeof BuildingView>;

export const orgKeys = {
  all: ['org'] as const,
  companies: (p: PageParams) => ['org', 'companies', p] as const,
  projects: (p: PageParams & ProjectFilters) => ['org', 'projects', p] as const,
  project: (id: string) => ['org', 'project', id] as const,
  units: (id: string, p: PageParams & UnitFilters) => ['org', 'units', id, p] as const,
  notes: (id: string) => ['org', 'progress-notes', id] as const,
  buildings: (id: string) => ['org', 'buildings', id] as const,
  notesPage: (id: string, p: PageParams) => ['org', 'progress-notes', id, p] as const,
  users: () => ['org', 'users'] as const,
  usersPage: (p: PageParams & UserFilters) => ['org', 'users', p] as const,
};

export function useCompanies(p: PageParams) {
  return useQuery({ queryKey: orgKeys.companies(p), queryFn: ({ signal }) => api.companies(p, signal), placeholderData: keepPreviousData });
}

export function useProjects(p: PageParams & ProjectFilters) {
  return useQuery({
    queryKey: orgKeys.projects(p),
    queryFn: ({ signal }) => request<Page<Project>>('GET', '/api/projects', { query: { ...p }, signal }),
    placeholderData: keepPreviousData,
  });
}

/** The API's largest page: pickers and names take every company and project the reader may see from it. */
const ALL: PageParams = { page: 1, pageSize: 200 };
// Pickers and names change rarely: five minutes before a background refetch.
const LOOKUP_STALE_MS = 5 * 60_000;

/**
 * Every company the reader may see (the first 200), cached under the same key as the companies
 * page's first page of 200, so the list, the pickers and the names share one answer.
 */
export function useAllCompanies() {
  return useQuery({
    queryKey: orgKeys.companies(ALL),
    queryFn: ({ signal }) => api.companies(ALL, signal),
    staleTime: LOOKUP_STALE_MS,
    select: (p: Page<Company>) => p.items,
  });
}

/** Every project the reader may see (the first 200), under the projects list's key for that page. */
export function useAllProjects() {
  return useQuery({
    queryKey: orgKeys.projects(ALL),
    queryFn: ({ signal }) => request<Page<Project>>('GET', '/api/projects', { query: { ...ALL }, signal }),
    staleTime: LOOKUP_STALE_MS,
    select: (p: Page<Project>) => p.items,
  });
}

export function useProject(id: string) {
  return useQuery({ queryKey: orgKeys.project(id), queryFn: ({ signal }) => api.project(id, signal) });
}

export function useUnits(projectId: string, p: PageParams & UnitFilters) {
  return useQuery({ queryKey: orgKeys.units(projectId, p), queryFn: ({ signal }) => api.units(projectId, p, signal), placeholderData: keepPreviousData });
}

const projectPath = (id: string) => `/api/projects/${encodeURIComponent(id)}/progress-notes`;

export function useProgressNotes(projectId: string, p: PageParams, enabled: boolean) {
  return useQuery({
    queryKey: orgKeys.notesPage(projectId, p),
    queryFn: ({ signal }) => request<Page<ProgressNote>>('GET', projectPath(projectId), { query: { ...p }, signal }),
    enabled,
    placeholderData: keepPreviousData,
  });
}

/** Publishes a note; the caller keeps the idempotency key across retries of the same text. */
export function usePublishProgressNote(projectId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ body, key }: { body: ProgressNoteRequest; key: string }) => request<ProgressNote>('POST', projectPath(projectId), { body, idempotencyKey: key }),
    onSuccess: () => qc.invalidateQueries({ queryKey: orgKeys.notes(projectId) }),
  });
}

export function useUsers(p: PageParams & UserFilters) {
  return useQuery({
    queryKey: orgKeys.usersPage(p),
    queryFn: ({ signal }) => request<Page<User>>('GET', '/api/users', { query: { ...p }, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useCreateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateUserRequest) => api.createUser(body),
    onSuccess: () => qc.invalidateQueries({ queryKey: orgKeys.users() }),
  });
}

/** A project's buildings with their completion acceptance (the warranty counts from it). */
export function useBuildings(projectId: string) {
  return useQuery({
    queryKey: orgKeys.buildings(projectId),
    queryFn: ({ signal }) => request<{ items: Building[] }>('GET', `/api/projects/${encodeURIComponent(projectId)}/buildings`, { signal }),
    select: (a: { items: Building[] }) => a.items,
  });
}

/** Records a building's completion acceptance and design life; refreshes the project's buildings. */
export function useUpdateBuilding(projectId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: z.output<typeof UpdateBuildingBody> }) => request<Building>('PATCH', `/api/buildings/${encodeURIComponent(id)}`, { body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: orgKeys.buildings(projectId) }),
  });
}
