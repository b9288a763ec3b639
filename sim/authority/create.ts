import type { Rng } from '../engine/random.ts';
import type { AuthoritySettingsDef } from '../scenario/schema.ts';
import { EnvelopeModel } from './envelope-model.ts';
import type { AuthorityModel, AuthorityModelName } from './model.ts';
import { R3Model } from './r3.ts';
import { ScopesModel } from './scopes.ts';
import { Taxonomy } from './taxonomy.ts';
import { DEFAULT_TEXT_NOISE, TextModel } from './text.ts';
import { ToolsModel } from './tools.ts';

/** The authority model a deployment (a PS or an AS, by its actor id) uses; `text` draws from the deployment's own stream. */
export function createAuthorityModel(
  name: AuthorityModelName,
  deployment: string,
  streams: { stream(entityId: string): Rng },
  settings: AuthoritySettingsDef | undefined,
): AuthorityModel {
  switch (name) {
    case 'scopes':
      return new ScopesModel();
    case 'tools':
      return new ToolsModel();
    case 'r3':
      return new R3Model();
    case 'envelope':
      return new EnvelopeModel();
    case 'text':
      return new TextModel(streams.stream(`${deployment}/text`), new Taxonomy(settings?.taxonomy), {
        falseRefusal: settings?.text?.false_refusal ?? DEFAULT_TEXT_NOISE.falseRefusal,
        nearGrant: settings?.text?.near_grant ?? DEFAULT_TEXT_NOISE.nearGrant,
        farGrant: settings?.text?.far_grant ?? DEFAULT_TEXT_NOISE.farGrant,
      });
  }
}
