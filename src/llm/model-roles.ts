/**
 * The three model roles and where each one comes from: a flag, an environment variable or the
 * `models:` section of `.improve.yml`, in that order. The reviewer defaults to the planner.
 */
import type { ConfiguredModels } from '../config/config.ts';
import { type ModelSpec, parseModelSpec } from './model-spec.ts';

export const ROLES = ['planner', 'executor', 'reviewer'] as const;
export type RoleName = (typeof ROLES)[number];

/** A role's model and where it was set, for messages ("--planner", "IMPROVE_PLANNER", …). */
export interface RoleModel {
  spec: ModelSpec;
  source: string;
  /**
   * Set by a flag or the environment: a missing key is an error. A role named only in the
   * repository's config file is optional: without a key the run stays offline and says so.
   */
  required: boolean;
}

export type ModelRoles = Partial<Record<RoleName, RoleModel>>;

/** What a caller asks for: `provider:model` strings (or parsed specs) per role. */
export type RoleSpecs = Partial<Record<RoleName, string | ModelSpec>>;

export interface RoleInputs {
  flags?: RoleSpecs;
  env?: NodeJS.ProcessEnv;
  config?: ConfiguredModels;
  /** Name of the config file, for messages. */
  configFile?: string;
}

export const ROLE_ENV: Record<RoleName, string> = {
  planner: 'IMPROVE_PLANNER',
  executor: 'IMPROVE_EXECUTOR',
  reviewer: 'IMPROVE_REVIEWER',
};

function asSpec(value: string | ModelSpec, where: string): ModelSpec {
  return typeof value === 'string' ? parseModelSpec(value, where) : value;
}

/** Resolve every role: flags, then environment, then config. The reviewer falls back to the planner. */
export function resolveModelRoles(inputs: RoleInputs): ModelRoles {
  const env = inputs.env ?? {};
  const roles: ModelRoles = {};
  for (const role of ROLES) {
    const flag = inputs.flags?.[role];
    const fromEnv = env[ROLE_ENV[role]]?.trim();
    const fromConfig = inputs.config?.[role];
    if (flag !== undefined && flag !== '') {
      roles[role] = { spec: asSpec(flag, `--${role}`), source: `--${role}`, required: true };
    } else if (fromEnv) {
      roles[role] = { spec: asSpec(fromEnv, ROLE_ENV[role]), source: ROLE_ENV[role], required: true };
    } else if (fromConfig) {
      const where = `${inputs.configFile ?? '.improve.yml'} models.${role}`;
      roles[role] = { spec: asSpec(fromConfig, where), source: where, required: false };
    }
  }
  if (!roles.reviewer && roles.planner) {
    roles.reviewer = {
      ...roles.planner,
      source: `${roles.planner.source} (the reviewer defaults to the planner)`,
    };
  }
  return roles;
}

/** Plain `provider:model` roles, as given to the library: all required. */
export function rolesFromSpecs(specs: RoleSpecs): ModelRoles {
  return resolveModelRoles({ flags: specs });
}
