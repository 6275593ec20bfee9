import { defineCodes } from '../language/codes.js';

/**
 * The compiler's diagnostics. ML2xxx: names (what a name refers to); ML3xxx: schemas and types (what a field
 * accepts); ML4xxx: flow structure (what a flow may do). Templates use `{name}` holes.
 */
export const compilerCodes = defineCodes({
  unknownField: {
    code: 'ML2001',
    title: 'unknown field',
    template: 'unknown field "{name}" on {owner}',
    hint: 'did you mean "{suggestion}"?',
    example: 'flow f: ccvshop.orders -> eaccounting.customers {\n  on missing: skip\n  Name = custmer.email\n}',
  },
  unknownSetting: {
    code: 'ML2002',
    title: 'unknown setting',
    template: 'unknown setting "{name}"',
    hint: 'did you mean "{suggestion}"?',
  },
  unknownTable: {
    code: 'ML2003',
    title: 'unknown table',
    template: 'unknown table "{name}"',
    hint: 'did you mean "{suggestion}"?',
  },
  unknownFunction: {
    code: 'ML2004',
    title: 'unknown function',
    template: 'unknown function "{name}"',
    hint: 'did you mean "{suggestion}"?',
  },
  unknownEntity: {
    code: 'ML2005',
    title: 'unknown connector or entity',
    template: 'unknown {what} "{name}"',
    hint: 'did you mean "{suggestion}"?',
  },
  duplicateName: {
    code: 'ML2006',
    title: 'name defined twice',
    template: '{what} "{name}" is defined twice',
    hint: 'the first definition is at line {line}',
  },
  tableNeedsKey: {
    code: 'ML2007',
    title: 'table used without a key',
    template: 'table "{name}" must be indexed with a key: {name}[key]',
  },
  wrongArity: {
    code: 'ML2008',
    title: 'wrong number of arguments',
    template: '{name}() takes {expected} argument(s), got {actual}',
    hint: '{signature}',
  },
  notAnObject: {
    code: 'ML2009',
    title: 'field of a value that has no fields',
    template: '"{name}" is read from {what}, which is {type}, not a record',
  },
  targetOutsideWriteBack: {
    code: 'ML2010',
    title: '`target` outside `write back`',
    template: '`target` (the written record) is only known inside `write back { ... }`',
  },
  shadowedField: {
    code: 'ML2011',
    title: 'a local name hides a source field',
    template: '"{name}" hides the source field of the same name',
    hint: 'rename the local name if you meant the source field',
  },
  unknownTargetField: {
    code: 'ML3001',
    title: 'unknown target field',
    template: '{owner} has no field "{name}" to write',
    hint: 'did you mean "{suggestion}"?',
  },
  readOnlyField: {
    code: 'ML3002',
    title: 'read-only target field',
    template: '"{name}" is read-only on {owner}: the API returns it but does not accept it',
    hint: 'write "{suggestion}" instead',
  },
  missingRequired: {
    code: 'ML3003',
    title: 'required target field has no rule',
    template: '{owner} requires "{name}" to {action}, but no rule sets it',
    hint: 'add a rule `{name} = ...`',
  },
  typeMismatch: {
    code: 'ML3004',
    title: 'value of the wrong type',
    template: '"{name}" takes {expected}, but this is {actual}',
  },
  arrayPath: {
    code: 'ML3005',
    title: 'path through an array',
    template: '"{path}" goes through the array "{array}", which has many elements',
    hint: 'build an array field with `each {array} as x`, or use an aggregate such as count({array}) or sum(...)',
  },
  duplicateRule: {
    code: 'ML3006',
    title: 'two rules for one target field',
    template: '"{name}" already has a rule',
    hint: 'the first rule is at line {line}',
  },
  badLookupKey: {
    code: 'ML3007',
    title: 'lookup key is not a field',
    template: '"{name}" is not a field of {owner}',
    hint: 'did you mean "{suggestion}"?',
  },
  operandType: {
    code: 'ML3008',
    title: 'operator applied to the wrong type',
    template: '`{op}` needs {expected}, but {side} is {actual}',
  },
  notConstant: {
    code: 'ML3009',
    title: 'setting or table value is not a constant',
    template: '{what} must be a constant (a string, number, true, false, null or a list of them)',
  },
  notInEnum: {
    code: 'ML3010',
    title: 'value not allowed',
    template: '{value} is not an allowed value of "{name}" ({allowed})',
  },
  notAnArray: {
    code: 'ML3011',
    title: 'array expected',
    template: '{what} needs a list, but this is {actual}',
  },
  onlyOnCase: {
    code: 'ML3012',
    title: 'field written in a case where the API does not accept it',
    template: '"{name}" can only be written when the flow {action}s a record on {owner}',
    hint: 'move the rule into an `on {action}` block',
  },
  duplicateStatement: {
    code: 'ML4001',
    title: 'flow statement given twice',
    template: 'a flow has one `{what}`; this is the second',
    hint: 'the first is at line {line}',
  },
  cannotCreate: {
    code: 'ML4002',
    title: 'flow may create what the API cannot create',
    template: '{owner} cannot be created through the API, but this flow creates missing records',
    hint: 'add `on missing: skip`',
  },
  cannotUpdate: {
    code: 'ML4003',
    title: 'flow may update what the API cannot update',
    template: '{owner} cannot be updated through the API',
    hint: 'use `on existing: skip`',
  },
  eachOutsideRule: {
    code: 'ML4004',
    title: '`each` used inside an expression',
    template: '`each` builds the value of an array field; use it directly as a rule\'s value',
  },
  noIdentity: {
    code: 'ML4005',
    title: 'flow without `identify by`',
    template: 'flow "{name}" creates records but has no `identify by`: if its link to a target record is lost, the record cannot be recognised and could be created twice',
    hint: 'add `identify by <TargetField> = <source value>` with a field that is unique in the target',
  },
  lookupInCondition: {
    code: 'ML4006',
    title: 'lookup in a condition',
    template: '{what}: conditions are decided before anything is looked up or written',
    hint: 'compare source fields here, and look records up in the rules',
  },
  caseOutsideUpsert: {
    code: 'ML4007',
    title: '`on create` / `on update` in the wrong place',
    template: '`on {case}` belongs directly in a flow or in an `upsert` block, not here',
    hint: 'move the rules into the flow\'s or the upsert\'s own `on {case}` block',
  },
  choiceTable: {
    code: 'ML4008',
    title: 'target table does not name entities',
    template: 'table "{name}" chooses the target of flow "{flow}", so each of its values must be a connector entity, like `"quotes" => eaccounting.quotes`',
    hint: 'write every value as `connector.entity`, and no `else`',
  },
  choiceSetting: {
    code: 'ML4009',
    title: 'setting that chooses a target is not one of the table\'s keys',
    template: 'setting "{name}" chooses the target of flow "{flow}" from table "{table}", so its default must be one of the table\'s keys ({keys})',
    hint: 'did you mean "{suggestion}"?',
  },
  unknownChoice: {
    code: 'ML4010',
    title: '`for` value that the target table does not have',
    template: '"{name}" is not a key of table "{table}", which chooses this flow\'s target (its keys: {keys})',
    hint: 'did you mean "{suggestion}"?',
  },
  forWithoutChoice: {
    code: 'ML4011',
    title: '`for` in a flow with one target',
    template: '`for` blocks belong in a flow whose target a setting chooses (`-> table[settings.name]`); this flow always writes {owner}',
    hint: 'write the rules without `for`, or choose the target with a table of entities',
  },
  internalError: {
    code: 'ML9000',
    title: 'internal compiler error',
    template: 'internal compiler error: {message}',
    hint: 'this is a bug in Mapline, not in your mapping: please report it with the file',
  },
});
