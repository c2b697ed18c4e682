/** The key of the bridge's own provider options (`providerOptions.twostage.inputType`, …). */
export const twostageOptionsKey = 'twostage';

/**
 * The provider options without the bridge's own `twostage` key, which only the bridge reads: it
 * never reaches a model on either side, so a provider that validates its options never sees it.
 * `undefined` when nothing else is left.
 */
export function withoutTwostageOptions<Options extends Record<string, unknown>>(
  providerOptions: Options | undefined,
): Options | undefined {
  if (providerOptions === undefined || !Object.hasOwn(providerOptions, twostageOptionsKey)) {
    return providerOptions;
  }
  const { [twostageOptionsKey]: _bridgeOwn, ...others } = providerOptions;
  return Object.keys(others).length === 0 ? undefined : (others as Options);
}
