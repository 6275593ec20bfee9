import { emptyResponse, jsonResponse } from '../../sandbox/http-types.js';
import type { Router } from '../../sandbox/router.js';
import { readOnlyPart } from './contract.js';
import { inContractShape, type EaContext } from './context.js';
import { isError, type EaResource } from './entities/types.js';
import { pagedList } from './paging.js';

/**
 * Registers `/v2/<name>` and `/v2/<name>/{id}` for the operations a resource offers. Built records are stored
 * in the contract's shape, and every answer is shaped again, so records loaded from a data file or the control
 * API are served as the real API would serve them too.
 */
export function registerResource(router: Router, ctx: EaContext, prefix: string, resource: EaResource): void {
  const { name } = resource;
  if (resource.list) {
    router.add('GET', `${prefix}/${name}`, (request) => {
      let records = ctx.store.list(name);
      if (resource.listFilter) {
        const filtered = resource.listFilter(request.query, records);
        if (!Array.isArray(filtered)) return ctx.errors.queryError(filtered.problem);
        records = filtered;
      }
      return pagedList(ctx, request, name, records);
    });
  }
  if (resource.create) {
    const create = resource.create;
    router.add('POST', `${prefix}/${name}`, (request) => {
      const result = ctx.readBody(request, name, 'create');
      if (result.error) return result.error;
      const built = create(ctx, result.body);
      if (isError(built)) return built.error;
      return jsonResponse(201, ctx.store.put(name, inContractShape(name, built), { created: true }));
    });
  }
  if (resource.get) {
    router.add('GET', `${prefix}/${name}/{id}`, (_request, { id }) => {
      const record = ctx.find(name, id);
      return record ? jsonResponse(200, inContractShape(name, record)) : ctx.errors.notFound(resource.title, id ?? '');
    });
  }
  if (resource.update) {
    const update = resource.update;
    router.add('PUT', `${prefix}/${name}/{id}`, (request, { id }) => {
      const existing = ctx.find(name, id);
      if (!existing) return ctx.errors.notFound(resource.title, id ?? '');
      const result = ctx.readBody(request, name, 'update');
      if (result.error) return result.error;
      const built = update(ctx, result.body, existing);
      if (isError(built)) return built.error;
      const kept = readOnlyPart(ctx.schema(name, 'read') ?? {}, existing);
      return jsonResponse(200, ctx.store.put(name, inContractShape(name, { ...kept, ...built })));
    });
  }
  if (resource.delete) {
    const check = resource.delete;
    router.add('DELETE', `${prefix}/${name}/{id}`, (_request, { id }) => {
      const existing = ctx.find(name, id);
      if (!existing) return ctx.errors.notFound(resource.title, id ?? '');
      const refused = check(ctx, existing);
      if (refused) return refused;
      ctx.store.delete(name, String(existing.Id));
      return emptyResponse(200);
    });
  }
}
