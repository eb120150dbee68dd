/**
 * Block Kit checks the way Slack answers them: a list of "<message> [json-pointer:<path>]"
 * strings that chat.postMessage/views.* return under `errors` with error `invalid_blocks`.
 * Table-driven: each block type lists its text fields, arrays and element slots with limits.
 */

type Errors = string[];
type Obj = Record<string, unknown>;

interface TextRule {
  key: string;
  max: number;
  plainOnly?: boolean;
  required?: boolean;
}
interface ArrayRule {
  key: string;
  max: number;
  itemTextMax?: number;
  elements?: boolean;
}
interface BlockRule {
  texts?: TextRule[];
  arrays?: ArrayRule[];
  element?: string;
}

const BLOCK_RULES: Record<string, BlockRule> = {
  section: {
    texts: [{ key: 'text', max: 3000 }],
    arrays: [{ key: 'fields', max: 10, itemTextMax: 2000 }],
    element: 'accessory',
  },
  header: { texts: [{ key: 'text', max: 150, plainOnly: true, required: true }] },
  context: { arrays: [{ key: 'elements', max: 10 }] },
  actions: { arrays: [{ key: 'elements', max: 25, elements: true }] },
  input: { texts: [{ key: 'label', max: 2000, plainOnly: true, required: true }], element: 'element' },
  divider: {},
  image: {},
  rich_text: {},
  video: {},
  file: {},
  markdown: {},
  table: {},
  context_actions: { arrays: [{ key: 'elements', max: 5, elements: true }] },
};

/** Per element type: text objects and string fields with their limits. */
const ELEMENT_TEXTS: Record<string, TextRule[]> = {
  button: [{ key: 'text', max: 75, plainOnly: true, required: true }],
  plain_text_input: [{ key: 'placeholder', max: 150, plainOnly: true }],
  static_select: [{ key: 'placeholder', max: 150, plainOnly: true }],
  users_select: [{ key: 'placeholder', max: 150, plainOnly: true }],
  conversations_select: [{ key: 'placeholder', max: 150, plainOnly: true }],
  channels_select: [{ key: 'placeholder', max: 150, plainOnly: true }],
};

/** A confirmation dialog ("Are you sure?") on a button or menu. */
const CONFIRM_TEXTS: TextRule[] = [
  { key: 'title', max: 100, plainOnly: true, required: true },
  { key: 'text', max: 300, required: true },
  { key: 'confirm', max: 30, plainOnly: true, required: true },
  { key: 'deny', max: 30, plainOnly: true, required: true },
];

function checkConfirm(confirm: unknown, path: string, errors: Errors): void {
  if (!isObj(confirm)) return void errors.push(`must provide an object${at(path)}`);
  for (const rule of CONFIRM_TEXTS) checkText(confirm, rule, path, errors);
  if (confirm.style !== undefined && confirm.style !== 'primary' && confirm.style !== 'danger') {
    errors.push(`must be one of [primary, danger]${at(`${path}/style`)}`);
  }
}

/** plain_text_input: min_length and max_length are 0..3000 and in order; a preset value fits them. */
function checkTextInput(element: Obj, path: string, errors: Errors): void {
  const bound = (key: 'min_length' | 'max_length') => {
    const v = element[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 3000) {
      errors.push(`must be an integer between 0 and 3000${at(`${path}/${key}`)}`);
      return undefined;
    }
    return v;
  };
  const min = bound('min_length');
  const max = bound('max_length');
  if (min !== undefined && max !== undefined && min > max) {
    errors.push(`min_length must not exceed max_length${at(`${path}/min_length`)}`);
  }
  if (element.initial_value !== undefined) {
    checkLength(element.initial_value, max ?? 3000, `${path}/initial_value`, errors);
  }
}
const ELEMENT_STRINGS: Record<string, Array<{ key: string; max: number }>> = {
  button: [
    { key: 'value', max: 2000 },
    { key: 'url', max: 3000 },
    { key: 'accessibility_label', max: 75 },
  ],
};

const at = (path: string) => ` [json-pointer:${path}]`;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkLength(value: unknown, max: number, path: string, errors: Errors, min = 0): void {
  if (typeof value !== 'string') {
    errors.push(`must provide a string${at(path)}`);
  } else if (value.length > max) {
    errors.push(`must be less than ${max + 1} characters${at(path)}`);
  } else if (value.length < min) {
    errors.push(`must be more than ${min - 1} characters${at(path)}`);
  }
}

function checkText(block: Obj, rule: TextRule, path: string, errors: Errors): void {
  const value = block[rule.key];
  if (value === undefined) {
    if (rule.required) errors.push(`must provide an object${at(`${path}/${rule.key}`)}`);
    return;
  }
  checkTextObject(value, rule.max, `${path}/${rule.key}`, errors, rule.plainOnly);
}

function checkTextObject(value: unknown, max: number, path: string, errors: Errors, plainOnly = false) {
  if (!isObj(value)) return void errors.push(`must provide an object${at(path)}`);
  const allowed = plainOnly ? ['plain_text'] : ['plain_text', 'mrkdwn'];
  if (!allowed.includes(String(value.type))) {
    errors.push(`must be one of [${allowed.join(', ')}]${at(`${path}/type`)}`);
  }
  checkLength(value.text, max, `${path}/text`, errors, 1);
}

interface Ids {
  blockIds: Set<string>;
  actionIds: Set<string>;
}

function checkElement(element: unknown, path: string, errors: Errors, ids: Ids): void {
  if (!isObj(element)) return void errors.push(`must provide an object${at(path)}`);
  const type = String(element.type);
  for (const rule of ELEMENT_TEXTS[type] ?? []) checkText(element, rule, path, errors);
  for (const rule of ELEMENT_STRINGS[type] ?? []) {
    if (element[rule.key] !== undefined)
      checkLength(element[rule.key], rule.max, `${path}/${rule.key}`, errors);
  }
  if (element.confirm !== undefined) checkConfirm(element.confirm, `${path}/confirm`, errors);
  if (type === 'plain_text_input') checkTextInput(element, path, errors);
  const actionId = element.action_id;
  if (typeof actionId === 'string') {
    checkLength(actionId, 255, `${path}/action_id`, errors);
    if (ids.actionIds.has(actionId))
      errors.push(`\`action_id\` "${actionId}" already exists${at(`${path}/action_id`)}`);
    ids.actionIds.add(actionId);
  }
}

function checkBlock(block: unknown, path: string, errors: Errors, ids: Ids): void {
  if (!isObj(block)) return void errors.push(`must provide an object${at(path)}`);
  const rule = BLOCK_RULES[String(block.type)];
  if (!rule) return void errors.push(`unsupported type \`${String(block.type)}\`${at(`${path}/type`)}`);
  if (typeof block.block_id === 'string') {
    checkLength(block.block_id, 255, `${path}/block_id`, errors);
    if (ids.blockIds.has(block.block_id)) {
      errors.push(`\`block_id\` "${block.block_id}" already exists${at(`${path}/block_id`)}`);
    }
    ids.blockIds.add(block.block_id);
  }
  if (block.type === 'section' && block.text === undefined && block.fields === undefined) {
    errors.push(`must provide either text or fields${at(path)}`);
  }
  for (const text of rule.texts ?? []) checkText(block, text, path, errors);
  for (const arr of rule.arrays ?? []) {
    const items = block[arr.key];
    if (items === undefined) continue;
    const arrPath = `${path}/${arr.key}`;
    if (!Array.isArray(items)) {
      errors.push(`must provide an array${at(arrPath)}`);
      continue;
    }
    if (items.length > arr.max) errors.push(`no more than ${arr.max} items allowed${at(arrPath)}`);
    items.forEach((item, i) => {
      if (arr.itemTextMax) checkTextObject(item, arr.itemTextMax, `${arrPath}/${i}`, errors);
      if (arr.elements) checkElement(item, `${arrPath}/${i}`, errors, ids);
    });
  }
  if (rule.element && block[rule.element] !== undefined) {
    checkElement(block[rule.element], `${path}/${rule.element}`, errors, ids);
  }
}

/** Validates a blocks array; `maxBlocks` is 50 for messages and 100 for views. */
export function validateBlocks(blocks: unknown, maxBlocks: number, root = '/blocks'): string[] {
  const errors: Errors = [];
  if (!Array.isArray(blocks)) return [`must provide an array${at(root)}`];
  if (blocks.length > maxBlocks) errors.push(`no more than ${maxBlocks} items allowed${at(root)}`);
  const ids: Ids = { blockIds: new Set(), actionIds: new Set() };
  blocks.forEach((block, i) => {
    checkBlock(block, `${root}/${i}`, errors, ids);
  });
  return errors;
}

/** The Slack-shaped error body for a failed validation. */
export function invalidBlocksBody(errors: string[]): Record<string, unknown> {
  return {
    ok: false,
    error: 'invalid_blocks',
    errors,
    response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) },
  };
}
