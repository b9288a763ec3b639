import { Type, type ObjectOptions, type Static, type TProperties } from '@sinclair/typebox';

/**
 * The scenario format's settings of the authority models (part of the
 * scenario schema, schema.ts): the text model's reading errors, and the
 * error models of authoring and compiling an envelope.
 */

/** The knobs shared by the steps that write or compile an envelope with errors (authoring, compilation). */
function ErrorModelSpec<T extends TProperties>(step: string, what: string, extra: T, options: ObjectOptions) {
  return Type.Object(
    {
      omit_exclusion: Type.Optional(
        Type.Number({
          minimum: 0,
          maximum: 1,
          description: `probability each exclusion of ${what} is lost in ${step} (default 0: an assumption, see docs/envelope-compilation.md and docs/mission-authoring.md)`,
        }),
      ),
      overbroad_bound: Type.Optional(
        Type.Object(
          {
            p: Type.Optional(
              Type.Number({ minimum: 0, maximum: 1, description: `probability each constraint (attr <= N) is set too high in ${step} (default 0)` }),
            ),
            factor: Type.Optional(Type.Number({ minimum: 1, description: 'how much too high: N becomes N x factor (default 10, one misplaced digit)' })),
          },
          { additionalProperties: false },
        ),
      ),
      missing_stage: Type.Optional(
        Type.Number({
          minimum: 0,
          maximum: 1,
          description: `probability each grant's stage restriction is lost in ${step}, so it applies in every stage (default 0)`,
        }),
      ),
      ...extra,
    },
    options,
  );
}

export const AuthoritySettingsSpec = Type.Object(
  {
    taxonomy: Type.Optional(
      Type.Record(Type.String(), Type.Array(Type.String()), { description: 'text model: resource classes a prose reader takes as related (symmetric)' }),
    ),
    text: Type.Optional(
      Type.Object(
        {
          false_refusal: Type.Optional(
            Type.Number({ minimum: 0, maximum: 1, description: 'probability an operation the mission text covers is refused (default 0.05)' }),
          ),
          near_grant: Type.Optional(
            Type.Number({ minimum: 0, maximum: 1, description: 'probability a plausible operation near what the mission text says is granted (default 0.6)' }),
          ),
          far_grant: Type.Optional(
            Type.Number({ minimum: 0, maximum: 1, description: 'probability an operation far from what the mission text says is granted (default 0.02)' }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    compilation: Type.Optional(
      ErrorModelSpec(
        'compilation',
        'the approved envelope',
        {},
        {
          additionalProperties: false,
          description:
            "envelope designs, and an AS reading a disclosed body with the envelope model: the error model of the step that compiles the approved envelope (or the disclosed text) into the policy a PS (or AS) enforces, drawn from each one's own stream",
        },
      ),
    ),
    authoring: Type.Optional(
      ErrorModelSpec(
        'authoring',
        'the intent as the person writes it',
        {
          vague_resources: Type.Optional(
            Type.Number({
              minimum: 0,
              maximum: 1,
              description: "probability each grant's resource restriction is lost in the text (it names the class, not the resource; default 0)",
            }),
          ),
        },
        {
          additionalProperties: false,
          description:
            "the error model of the step where the person writes a mission's text (and, without a `scope`, its scope list) from its `intent`: drawn from the stream person:<id>/authoring/<agent>; default 0, an assumption (docs/mission-authoring.md)",
        },
      ),
    ),
  },
  { additionalProperties: false, description: 'settings of the authority models' },
);

export type AuthoritySettingsDef = Static<typeof AuthoritySettingsSpec>;
