// Administration of staff users, grants and API clients (the district office). Auditors may read.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { writeContext, type AccessRule } from '../../http/access.js'
import { IfMatchHeader, requireIfMatch, setEtag } from '../../http/preconditions.js'
import { problemResponses } from '../../http/schemas.js'
import * as accounts from './accounts.js'
import type { ClientRecord } from './queries.js'
import {
  ClientListQuery,
  clientListResponse,
  ClientParams,
  clientResponse,
  clientWithSecretResponse,
  CreateClientRequest,
  CreateUserRequest,
  createdUserResponse,
  GrantInputSchema,
  GrantParams,
  grantResponse,
  oneTimePasswordResponse,
  UpdateClientRequest,
  UpdateUserRequest,
  UserListQuery,
  userListResponse,
  UsernameParams,
  userResponse,
  type ClientDto,
  type UserDto,
} from './schemas.js'

const read: AccessRule = { scopes: ['accounts:read'], roles: ['admin', 'auditor'] }
// Account management is for people only: a client that could create users, set or reset passwords,
// grant roles or edit clients (itself included) could raise itself to admin (issue 14 #8).
const manage: AccessRule = { scopes: ['accounts:manage'], roles: ['admin'], peopleOnly: true }
const bearer = [{ bearerAuth: [] }]
const ifMatch = { type: 'object', properties: IfMatchHeader } as const

function toUser(u: accounts.UserWithGrants, now: Date): UserDto {
  return {
    username: u.username,
    displayName: u.displayName,
    regionCode: u.regionCode,
    disabled: u.disabled,
    mustChangePassword: u.mustChangePassword,
    locked: Boolean(u.lockedUntil && u.lockedUntil > now),
    grants: u.grants.map((g) => ({ id: g.id, role: g.role as UserDto['grants'][number]['role'], departmentCode: g.departmentCode })),
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
  }
}

function toClient(c: ClientRecord): ClientDto {
  return {
    clientId: c.clientId,
    name: c.name,
    regionCode: c.regionCode,
    departmentCode: c.departmentCode,
    scopes: c.scopes as ClientDto['scopes'],
    disabled: c.disabled,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    secretRotatedAt: c.secretRotatedAt ? c.secretRotatedAt.toISOString() : null,
  }
}

export const adminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const now = () => app.clock.now()

  app.get(
    '/v1/users',
    {
      schema: { operationId: 'listUsers', tags: ['accounts'], summary: 'List staff users', security: bearer, querystring: UserListQuery, response: { 200: userListResponse, ...problemResponses(401, 403) } },
      config: { auth: read },
    },
    async (request) => {
      const { disabled, limit, cursor } = request.query
      const page = await accounts.listUsers(app.db, request.principal!.regionCode, { disabled, limit: limit ?? 50, cursor })
      return { items: page.items.map((u) => toUser(u, now())), nextCursor: page.nextCursor }
    },
  )

  app.post(
    '/v1/users',
    {
      schema: {
        operationId: 'createUser',
        tags: ['accounts'],
        summary: 'Create a staff user',
        description: 'Without `password`, a one-time password is generated and returned once; the user must change it at first sign-in.',
        security: bearer,
        body: CreateUserRequest,
        response: { 201: createdUserResponse, ...problemResponses(401, 403, 409, 422) },
      },
      config: { auth: manage },
    },
    async (request, reply) => {
      const { user, oneTimePassword } = await accounts.createUser(app.db, writeContext(request), request.body)
      setEtag(reply, accounts.userEtag(user))
      reply.header('location', `/v1/users/${user.username}`)
      return reply.code(201).send({ user: toUser(user, now()), oneTimePassword })
    },
  )

  app.get(
    '/v1/users/:username',
    {
      schema: { operationId: 'getUser', tags: ['accounts'], summary: 'Get a staff user', security: bearer, params: UsernameParams, response: { 200: userResponse, ...problemResponses(401, 403, 404) } },
      config: { auth: read },
    },
    async (request, reply) => {
      const user = await accounts.getUser(app.db, request.principal!.regionCode, request.params.username)
      setEtag(reply, accounts.userEtag(user))
      return toUser(user, now())
    },
  )

  app.patch(
    '/v1/users/:username',
    {
      schema: {
        operationId: 'updateUser',
        tags: ['accounts'],
        summary: 'Rename, disable or re-enable a user',
        description: 'Disabling ends every session of the user at once. Needs If-Match.',
        security: bearer,
        params: UsernameParams,
        headers: ifMatch,
        body: UpdateUserRequest,
        response: { 200: userResponse, ...problemResponses(401, 403, 404, 409, 412, 428) },
      },
      config: { auth: manage },
    },
    async (request, reply) => {
      const user = await accounts.updateUser(app.db, writeContext(request), request.params.username, requireIfMatch(request), request.body)
      setEtag(reply, accounts.userEtag(user))
      return toUser(user, now())
    },
  )

  app.post(
    '/v1/users/:username/password-reset',
    {
      schema: {
        operationId: 'resetUserPassword',
        tags: ['accounts'],
        summary: "Reset a user's password",
        description: 'Generates a one-time password (returned once), ends every session of the user and lifts a sign-in lock.',
        security: bearer,
        params: UsernameParams,
        response: { 200: oneTimePasswordResponse, ...problemResponses(401, 403, 404) },
      },
      config: { auth: manage },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store')
      return accounts.resetPassword(app.db, writeContext(request), request.params.username)
    },
  )

  app.post(
    '/v1/users/:username/grants',
    {
      schema: {
        operationId: 'addGrant',
        tags: ['accounts'],
        summary: 'Grant a role',
        description: '`editor` and `reviewer` need a `departmentCode`; `admin` and `auditor` are region-wide and take none.',
        security: bearer,
        params: UsernameParams,
        body: GrantInputSchema,
        response: { 201: grantResponse, ...problemResponses(401, 403, 404, 409, 422) },
      },
      config: { auth: manage },
    },
    async (request, reply) => reply.code(201).send(await accounts.addGrant(app.db, writeContext(request), request.params.username, request.body)),
  )

  app.delete(
    '/v1/users/:username/grants/:grantId',
    {
      schema: {
        operationId: 'removeGrant',
        tags: ['accounts'],
        summary: 'Withdraw a role',
        security: bearer,
        params: GrantParams,
        response: { 204: { description: 'Withdrawn.', type: 'null' }, ...problemResponses(401, 403, 404, 409) },
      },
      config: { auth: manage },
    },
    async (request, reply) => {
      await accounts.removeGrant(app.db, writeContext(request), request.params.username, request.params.grantId)
      return reply.code(204).send(null)
    },
  )

  app.get(
    '/v1/clients',
    {
      schema: { operationId: 'listClients', tags: ['accounts'], summary: 'List API clients', security: bearer, querystring: ClientListQuery, response: { 200: clientListResponse, ...problemResponses(401, 403) } },
      config: { auth: read },
    },
    async (request) => {
      const page = await accounts.listClients(app.db, request.principal!.regionCode, { limit: request.query.limit ?? 50, cursor: request.query.cursor })
      return { items: page.items.map(toClient), nextCursor: page.nextCursor }
    },
  )

  app.post(
    '/v1/clients',
    {
      schema: {
        operationId: 'createClient',
        tags: ['accounts'],
        summary: 'Create an API client for a script or integrator',
        description: 'The secret is returned once and stored only as a hash. A client bound to a department acts as an editor there; one without acts region-wide; both only within their scopes.',
        security: bearer,
        body: CreateClientRequest,
        response: { 201: clientWithSecretResponse, ...problemResponses(401, 403, 422) },
      },
      config: { auth: manage },
    },
    async (request, reply) => {
      const { client, clientSecret } = await accounts.createClient(app.db, writeContext(request), request.body)
      reply.header('cache-control', 'no-store')
      reply.header('location', `/v1/clients/${client.clientId}`)
      setEtag(reply, accounts.clientEtag(client))
      return reply.code(201).send({ client: toClient(client), clientSecret })
    },
  )

  app.get(
    '/v1/clients/:clientId',
    {
      schema: { operationId: 'getClient', tags: ['accounts'], summary: 'Get an API client', security: bearer, params: ClientParams, response: { 200: clientResponse, ...problemResponses(401, 403, 404) } },
      config: { auth: read },
    },
    async (request, reply) => {
      const client = await accounts.getClient(app.db, request.principal!.regionCode, request.params.clientId)
      setEtag(reply, accounts.clientEtag(client))
      return toClient(client)
    },
  )

  app.patch(
    '/v1/clients/:clientId',
    {
      schema: {
        operationId: 'updateClient',
        tags: ['accounts'],
        summary: 'Rename, re-scope, disable or re-enable an API client',
        security: bearer,
        params: ClientParams,
        headers: ifMatch,
        body: UpdateClientRequest,
        response: { 200: clientResponse, ...problemResponses(401, 403, 404, 412, 422, 428) },
      },
      config: { auth: manage },
    },
    async (request, reply) => {
      const client = await accounts.updateClient(app.db, writeContext(request), request.params.clientId, requireIfMatch(request), request.body)
      setEtag(reply, accounts.clientEtag(client))
      return toClient(client)
    },
  )

  app.post(
    '/v1/clients/:clientId/rotate-secret',
    {
      schema: {
        operationId: 'rotateClientSecret',
        tags: ['accounts'],
        summary: "Rotate an API client's secret",
        description: 'Returns the new secret once; the old one stops working at once.',
        security: bearer,
        params: ClientParams,
        response: { 200: clientWithSecretResponse, ...problemResponses(401, 403, 404) },
      },
      config: { auth: manage },
    },
    async (request, reply) => {
      const { client, clientSecret } = await accounts.rotateClientSecret(app.db, writeContext(request), request.params.clientId)
      reply.header('cache-control', 'no-store')
      setEtag(reply, accounts.clientEtag(client))
      return { client: toClient(client), clientSecret }
    },
  )
}
