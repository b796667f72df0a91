import type { Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { ApiDeps } from '../context.js';
import { defineRoute } from '../http/route.js';
import { searchRecords } from '../../app/search/search.js';
import { toSearchResult } from './search-view.js';
import { SearchQuery, SearchResultView } from './schemas.js';

export function registerSearchRoutes(router: Router, registry: OpenAPIRegistry, deps: ApiDeps): void {
  const { db } = deps;

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/search',
    operationId: 'searchRecords',
    summary: 'One search box: customers by name or phone, cases, leads and sales by number, units by building and room / 全局搜索',
    tags: ['search'],
    // Every role reads customers; each kind of result is then narrowed to what the role reads, in its scope.
    access: 'customers:read',
    query: SearchQuery,
    response: SearchResultView,
    handler: async ({ query, principal }) => toSearchResult(principal, await searchRecords(db, principal, query.q, query.limit)),
  });
}
