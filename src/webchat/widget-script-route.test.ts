import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { configExpression, SERVED_CONFIG_MARKER, widgetScriptHandler } from './widget-script-route.js';

const settings = async () => {
  throw new Error('not read at construction');
};

describe('the config written into widget.js', () => {
  it('is an expression that evaluates back to the value, with no `<` or line separators in it', () => {
    const value = { title: 'a</script>\u2028b\u2029c "d" \\ e', color: '#0a7d55', n: null };
    const text = configExpression(value);
    expect(text).not.toMatch(/[<\u2028\u2029]/);
    expect(vm.runInNewContext(`(${text})`)).toEqual(value);
  });

  it('needs its marker in the script exactly once', () => {
    expect(() => widgetScriptHandler({ settings }, 'const served = null;')).toThrow(/exactly once/);
    expect(() =>
      widgetScriptHandler({ settings }, `${SERVED_CONFIG_MARKER};${SERVED_CONFIG_MARKER}`),
    ).toThrow(/exactly once/);
    expect(() => widgetScriptHandler({ settings }, `const served = ${SERVED_CONFIG_MARKER};`)).not.toThrow();
  });
});
