// Request and response schemas of the auth endpoints. The token endpoint follows RFC 6749's field
// names (snake_case) so that ordinary OAuth 2 client libraries work with it unchanged.
import { Type, type Static } from 'typebox'
import { jsonResponse, ListOf, PaginationQuery, ref } from '../../http/schemas.js'
import { roles, scopes } from '../../http/access.js'

export const RoleSchema = Type.Enum(roles, { description: '`editor`/`reviewer` are held on a department; `admin`/`auditor` on the region.' })
export const ScopeSchema = Type.Enum(scopes)

export const TokenRequest = Type.Object(
  {
    grant_type: Type.Enum(['password', 'client_credentials', 'refresh_token']),
    username: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    password: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    client_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    client_secret: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    refresh_token: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    scope: Type.Optional(Type.String({ maxLength: 512, description: 'Ignored: a token carries every scope its holder has.' })),
  },
  {
    additionalProperties: false,
    description:
      '`password`: username + password (staff). `client_credentials`: client_id + client_secret (or HTTP Basic). `refresh_token`: a refresh token from an earlier answer; each is single-use. JSON or application/x-www-form-urlencoded.',
  },
)

export const TokenResponseSchema = Type.Object(
  {
    access_token: Type.String(),
    token_type: Type.Literal('Bearer'),
    expires_in: Type.Integer({ description: 'Seconds (900).' }),
    refresh_token: Type.Optional(Type.String({ description: 'Staff sign-ins only. Single-use: each refresh returns a new one.' })),
    scope: Type.String({ description: 'Space-separated scopes of the token.' }),
  },
  { $id: 'TokenResponse', additionalProperties: false },
)

export const tokenResponse = jsonResponse(ref(TokenResponseSchema), {
  access_token: 'eyJhbGciOiJIUzI1NiIsImtpZCI6IjNmOWEuLi4ifQ.eyJzdWIiOiIuLi4ifQ.c2lnbmF0dXJl',
  token_type: 'Bearer',
  expires_in: 900,
  refresh_token: 'gkr_kQ2m0v6b1y…',
  scope: 'items:write notices:write posts:write reports:write',
})

export const RevokeRequest = Type.Object({ token: Type.String({ minLength: 1, maxLength: 256 }), token_type_hint: Type.Optional(Type.String({ maxLength: 32 })) }, { additionalProperties: false })

export const GrantSchema = Type.Object(
  { id: Type.String({ format: 'uuid' }), role: RoleSchema, departmentCode: Type.Union([Type.String(), Type.Null()]) },
  { $id: 'Grant', additionalProperties: false },
)
export type GrantDto = Static<typeof GrantSchema>

export const MeSchema = Type.Object(
  {
    type: Type.Enum(['user', 'client']),
    id: Type.String({ format: 'uuid' }),
    name: Type.String({ description: 'Username, or client id.' }),
    displayName: Type.String({ description: 'The name recorded (and published) as author or reviewer: the display name, or the client name.' }),
    regionCode: Type.String(),
    grants: Type.Array(ref(GrantSchema)),
    scopes: Type.Array(ScopeSchema),
    mustChangePassword: Type.Boolean(),
  },
  { $id: 'Me', additionalProperties: false },
)

export const meResponse = jsonResponse(ref(MeSchema), {
  type: 'user',
  id: '7d3f0a52-5b8e-4c1e-9d55-0f6f3f4e2a11',
  name: 'zhang.min',
  displayName: '张敏',
  regionCode: '230202',
  grants: [{ id: '0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9', role: 'editor', departmentCode: 'civil_affairs' }],
  scopes: ['items:write', 'notices:write', 'posts:write', 'reports:write'],
  mustChangePassword: false,
})

export const ChangePasswordRequest = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: 256 }), newPassword: Type.String({ minLength: 1, maxLength: 256 }) },
  { additionalProperties: false },
)

const usernamePattern = '^[a-z0-9][a-z0-9._-]{1,62}[a-z0-9]$'

export const UserSchema = Type.Object(
  {
    username: Type.String(),
    displayName: Type.String(),
    regionCode: Type.String(),
    disabled: Type.Boolean(),
    mustChangePassword: Type.Boolean(),
    locked: Type.Boolean({ description: 'Sign-ins from addresses this user never signed in from must wait, after many failed sign-ins (see POST /v1/auth/token).' }),
    grants: Type.Array(ref(GrantSchema)),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'User', additionalProperties: false },
)
export type UserDto = Static<typeof UserSchema>

const userExample: UserDto = {
  username: 'li.na',
  displayName: '李娜',
  regionCode: '230202',
  disabled: false,
  mustChangePassword: true,
  locked: false,
  grants: [{ id: '0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9', role: 'reviewer', departmentCode: 'housing' }],
  createdAt: '2026-11-02T01:00:00.000Z',
  updatedAt: '2026-11-02T01:00:00.000Z',
}

export const GrantInputSchema = Type.Object(
  { role: RoleSchema, departmentCode: Type.Optional(Type.String({ maxLength: 64 })) },
  { additionalProperties: false },
)

export const CreateUserRequest = Type.Object(
  {
    username: Type.String({ pattern: usernamePattern, description: 'Lower-case letters, digits, `.`, `_`, `-`.' }),
    displayName: Type.String({ minLength: 1, maxLength: 100 }),
    password: Type.Optional(Type.String({ maxLength: 256, description: 'Omit to have a one-time password generated and returned once.' })),
    grants: Type.Optional(Type.Array(GrantInputSchema, { maxItems: 50 })),
  },
  { additionalProperties: false },
)

export const CreatedUserSchema = Type.Object(
  {
    user: ref(UserSchema),
    oneTimePassword: Type.Union([Type.String(), Type.Null()], { description: 'Shown once. The user must change it at first sign-in.' }),
  },
  { additionalProperties: false },
)
export const createdUserResponse = jsonResponse(CreatedUserSchema, { user: userExample, oneTimePassword: 'hK7wPq3ZrT9mXc2VnB4s' }, 'The user, with their one-time password (shown only here).')
export const userResponse = jsonResponse(ref(UserSchema), userExample, 'The user.')
export const userListResponse = jsonResponse(ListOf(ref(UserSchema)), { items: [userExample], nextCursor: null }, 'Users by username.')

export const UsernameParams = Type.Object({ username: Type.String({ maxLength: 64 }) }, { additionalProperties: false })
export const GrantParams = Type.Object({ username: Type.String({ maxLength: 64 }), grantId: Type.String({ format: 'uuid' }) }, { additionalProperties: false })
export const UserListQuery = Type.Object({ disabled: Type.Optional(Type.Boolean()), ...PaginationQuery }, { additionalProperties: false })
export const UpdateUserRequest = Type.Object(
  { displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })), disabled: Type.Optional(Type.Boolean()) },
  { additionalProperties: false, minProperties: 1 },
)
export const OneTimePasswordSchema = Type.Object({ oneTimePassword: Type.String() }, { additionalProperties: false })
export const oneTimePasswordResponse = jsonResponse(OneTimePasswordSchema, { oneTimePassword: 'hK7wPq3ZrT9mXc2VnB4s' }, 'The new one-time password (shown only here).')
export const grantResponse = jsonResponse(ref(GrantSchema), { id: '0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9', role: 'editor', departmentCode: 'civil_affairs' }, 'The new grant.')

export const ClientSchema = Type.Object(
  {
    clientId: Type.String(),
    name: Type.String(),
    regionCode: Type.String(),
    departmentCode: Type.Union([Type.String(), Type.Null()], { description: 'null: the client acts region-wide.' }),
    scopes: Type.Array(ScopeSchema),
    disabled: Type.Boolean(),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
    secretRotatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { $id: 'ApiClient', additionalProperties: false },
)
export type ClientDto = Static<typeof ClientSchema>
const clientExample: ClientDto = {
  clientId: 'gkc_Jx3vQ0aP9mZt',
  name: '民政局目录推送脚本',
  regionCode: '230202',
  departmentCode: 'civil_affairs',
  scopes: ['items:write'],
  disabled: false,
  createdAt: '2026-11-02T01:00:00.000Z',
  updatedAt: '2026-11-02T01:00:00.000Z',
  secretRotatedAt: null,
}
export const CreateClientRequest = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    departmentCode: Type.Optional(Type.String({ maxLength: 64, description: 'Bind the client to a department; omit for a region-wide client.' })),
    scopes: Type.Array(ScopeSchema, { minItems: 1, maxItems: 20 }),
  },
  { additionalProperties: false },
)
export const UpdateClientRequest = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })), scopes: Type.Optional(Type.Array(ScopeSchema, { minItems: 1, maxItems: 20 })), disabled: Type.Optional(Type.Boolean()) },
  { additionalProperties: false, minProperties: 1 },
)
export const ClientWithSecretSchema = Type.Object({ client: ref(ClientSchema), clientSecret: Type.String({ description: 'Shown once; store it now.' }) }, { additionalProperties: false })
export const clientWithSecretResponse = jsonResponse(ClientWithSecretSchema, { client: clientExample, clientSecret: 'gks_b6Yw…' }, 'The client and its secret (shown only here).')
export const clientResponse = jsonResponse(ref(ClientSchema), clientExample, 'The client.')
export const clientListResponse = jsonResponse(ListOf(ref(ClientSchema)), { items: [clientExample], nextCursor: null }, 'Clients by client id.')
export const ClientParams = Type.Object({ clientId: Type.String({ maxLength: 64 }) }, { additionalProperties: false })
export const ClientListQuery = Type.Object(PaginationQuery, { additionalProperties: false })

export const authSchemas = [TokenResponseSchema, GrantSchema, MeSchema, UserSchema, ClientSchema]
