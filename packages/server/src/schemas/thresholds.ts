// Threshold overrides (global, per tag, per host) as the API shows and takes them.
import Type, { type Static } from 'typebox'
import { ThresholdsSchema } from '@lagebild/shared'

export const ThresholdOverrideSchema = Type.Partial(ThresholdsSchema, { additionalProperties: false, description: 'Only the thresholds to override; {} removes the override' })

export const ThresholdsOutSchema = Type.Object({
  defaults: ThresholdsSchema,
  global: ThresholdOverrideSchema,
  tags: Type.Record(Type.String(), ThresholdOverrideSchema),
  hosts: Type.Record(Type.String(), ThresholdOverrideSchema),
})
export type ThresholdsOut = Static<typeof ThresholdsOutSchema>
