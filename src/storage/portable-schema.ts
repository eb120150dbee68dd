import {
  type ColumnDefinitionNode,
  DataTypeNode,
  type KyselyPlugin,
  OperationNodeTransformer,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';

/**
 * The migrations are written once, in SQLite's column types. On PostgreSQL three of them would mean
 * something else: `integer` is 32-bit there (Baton keeps millisecond times in integers), `real` is a
 * 4-byte float (confidence 0.73 would read back as 0.7300000190734863), and `autoincrement` is not
 * PostgreSQL at all. This plugin, used only while migrating PostgreSQL, writes the types that keep the
 * same meaning: bigint, double precision and bigserial.
 */
class PortableColumnTypes extends OperationNodeTransformer {
  protected override transformColumnDefinition(node: ColumnDefinitionNode): ColumnDefinitionNode {
    const column = super.transformColumnDefinition(node);
    if (!DataTypeNode.is(column.dataType)) return column;
    const declared = column.dataType.dataType;
    if (column.autoIncrement)
      return Object.freeze({
        ...column,
        autoIncrement: undefined,
        dataType: DataTypeNode.create('bigserial'),
      });
    if (declared === 'integer') return Object.freeze({ ...column, dataType: DataTypeNode.create('bigint') });
    if (declared === 'real')
      return Object.freeze({ ...column, dataType: DataTypeNode.create('double precision') });
    return column;
  }
}

export class PortableSchemaPlugin implements KyselyPlugin {
  readonly #transformer = new PortableColumnTypes();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.#transformer.transformNode(args.node);
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}
