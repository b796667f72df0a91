import type { Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { ApiDeps } from '../context.js';
import { defineRoute } from '../http/route.js';
import { getHome } from '../../app/home/get-home.js';
import { HomeView } from './schemas.js';

export function registerHomeRoutes(router: Router, registry: OpenAPIRegistry, deps: ApiDeps): void {
  defineRoute(router, registry, {
    method: 'get',
    path: '/api/home',
    operationId: 'getHome',
    summary: 'Your home page’s counts (overdue, due soon, waiting for you), each linked to its list; poll it, revalidating with If-None-Match / 首页待办统计',
    tags: ['home'],
    access: 'home:read',
    response: HomeView,
    async handler({ principal, res }) {
      // Counts change with every case and lead: a cache may keep the answer but must revalidate it
      // each time (the ETag then spares the body when nothing changed). Private: they are the caller's.
      res.setHeader('Cache-Control', 'private, no-cache');
      return getHome(deps.db, principal, new Date());
    },
  });
}
