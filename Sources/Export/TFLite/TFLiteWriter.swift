/// Serialises a `TFLiteModel` to the `.tflite` FlatBuffer (schema in `TFLiteSchema.swift`).
///
/// What LiteRT 2.3.0 needs beyond the schema (measured, issue 7): the file identifier "TFL3";
/// `Model.version` = 3 written explicitly (a builder would omit it as the default 0 and the runtime then
/// refuses the model); `subgraphs` and `buffers` present with buffer 0 empty; `OperatorCode` carrying both
/// `deprecated_builtin_code` (clamped to 127, PLACEHOLDER_FOR_GREATER_OP_CODES) and `builtin_code`, since the
/// runtime reads max(both); CONV_2D with a bias input and explicit strides. Buffer data are 16-byte aligned
/// (the schema's `force_align: 16`).
public enum TFLiteWriter {
    public static let fileIdentifier = "TFL3"
    public static let schemaVersion: UInt32 = 3

    public static func serialize(_ model: TFLiteModel) -> [UInt8] {
        precondition(model.buffers.first?.isEmpty == true, "buffer 0 must be the empty sentinel")
        let payload = model.buffers.reduce(0) { $0 + $1.count } + model.metadata.reduce(0) { $0 + $1.1.count }
        var b = FlatBufferBuilder(initialCapacity: payload + 16 * (model.buffers.count + 16) + (1 << 20))

        // Buffers (model buffers, then one per metadata entry).
        var allBuffers = model.buffers
        var metadataBufferIndex: [Int] = []
        for (_, bytes) in model.metadata {
            metadataBufferIndex.append(allBuffers.count)
            allBuffers.append(bytes)
        }
        var bufferTables: [FlatBufferBuilder.Offset] = []
        bufferTables.reserveCapacity(allBuffers.count)
        for bytes in allBuffers {
            let data = bytes.isEmpty ? nil : bytes.withUnsafeBytes { b.createByteVector($0, alignment: 16) }
            b.startTable(fields: 3)  // data 0, offset 1, size 2
            b.add(0, data)
            bufferTables.append(b.endTable())
        }
        let buffersVector = b.createVector(bufferTables)

        // Tensors.
        var tensorTables: [FlatBufferBuilder.Offset] = []
        for tensor in model.tensors {
            let shape = b.createVector(tensor.shape.map(Int32.init))
            let name = b.createString(tensor.name)
            let quantization = tensor.quantization.map { q -> FlatBufferBuilder.Offset in
                let scale = b.createVector(q.scale)
                let zeroPoint = b.createVector(q.zeroPoint)
                b.startTable(fields: 7)
                b.add(2, scale)
                b.add(3, zeroPoint)
                b.add(6, q.quantizedDimension, default: 0)
                return b.endTable()
            }
            b.startTable(fields: 9)
            b.add(0, shape)
            b.add(1, tensor.type.rawValue, default: 0)
            b.add(2, UInt32(tensor.buffer), default: 0)
            b.add(3, name)
            b.add(4, quantization)
            b.add(8, true, default: false)  // has_rank: the shape is known
            tensorTables.append(b.endTable())
        }
        let tensorsVector = b.createVector(tensorTables)

        // Operator codes: one per (builtin, version), in order of first use.
        var codes: [(TFLiteBuiltinOperator, Int32)] = []
        var opcodeIndex: [Int] = []
        for op in model.operators {
            if let i = codes.firstIndex(where: { $0.0 == op.opcode && $0.1 == op.version }) {
                opcodeIndex.append(i)
            } else {
                codes.append((op.opcode, op.version))
                opcodeIndex.append(codes.count - 1)
            }
        }
        var codeTables: [FlatBufferBuilder.Offset] = []
        for (code, version) in codes {
            b.startTable(fields: 4)  // deprecated_builtin_code 0, custom_code 1, version 2 (=1), builtin_code 3
            b.add(0, Int8(min(code.rawValue, 127)), default: 0, force: true)
            b.add(2, version, default: 1)
            b.add(3, code.rawValue, default: 0, force: true)
            codeTables.append(b.endTable())
        }
        let codesVector = b.createVector(codeTables)

        // Operators.
        var operatorTables: [FlatBufferBuilder.Offset] = []
        for (i, op) in model.operators.enumerated() {
            let inputs = b.createVector(op.inputs.map(Int32.init))
            let outputs = b.createVector(op.outputs.map(Int32.init))
            let options = writeOptions(op.options, &b)
            b.startTable(fields: 5)
            b.add(0, UInt32(opcodeIndex[i]), default: 0)
            b.add(1, inputs)
            b.add(2, outputs)
            if let options {
                b.add(3, op.options.unionType, default: 0)
                b.add(4, options)
            }
            operatorTables.append(b.endTable())
        }
        let operatorsVector = b.createVector(operatorTables)

        // The subgraph.
        let inputs = b.createVector(model.inputs.map(Int32.init))
        let outputs = b.createVector(model.outputs.map(Int32.init))
        let subgraphName = b.createString(model.subgraphName)
        b.startTable(fields: 5)  // tensors 0, inputs 1, outputs 2, operators 3, name 4
        b.add(0, tensorsVector)
        b.add(1, inputs)
        b.add(2, outputs)
        b.add(3, operatorsVector)
        b.add(4, subgraphName)
        let subgraph = b.endTable()
        let subgraphsVector = b.createVector([subgraph])

        // The signature.
        func tensorMaps(_ entries: [(String, Int)]) -> FlatBufferBuilder.Offset {
            var maps: [FlatBufferBuilder.Offset] = []
            for (alias, index) in entries {
                let name = b.createString(alias)
                b.startTable(fields: 2)  // name 0, tensor_index 1
                b.add(0, name)
                b.add(1, UInt32(index), default: 0)
                maps.append(b.endTable())
            }
            return b.createVector(maps)
        }
        let signatureInputs = tensorMaps(model.signatureInputs)
        let signatureOutputs = tensorMaps(model.signatureOutputs)
        let signatureKey = b.createString(model.signatureKey)
        b.startTable(fields: 5)  // inputs 0, outputs 1, signature_key 2, deprecated_tag 3, subgraph_index 4
        b.add(0, signatureInputs)
        b.add(1, signatureOutputs)
        b.add(2, signatureKey)
        b.add(4, UInt32(0), default: 0)
        let signature = b.endTable()
        let signaturesVector = b.createVector([signature])

        // Metadata.
        var metadataTables: [FlatBufferBuilder.Offset] = []
        for (i, entry) in model.metadata.enumerated() {
            let name = b.createString(entry.0)
            b.startTable(fields: 2)  // name 0, buffer 1
            b.add(0, name)
            b.add(1, UInt32(metadataBufferIndex[i]), default: 0)
            metadataTables.append(b.endTable())
        }
        let metadataVector = metadataTables.isEmpty ? nil : b.createVector(metadataTables)

        let description = b.createString(model.description)
        // Model: version 0, operator_codes 1, subgraphs 2, description 3, buffers 4, metadata_buffer 5,
        // metadata 6, signature_defs 7.
        b.startTable(fields: 8)
        b.add(0, schemaVersion, default: 0, force: true)
        b.add(1, codesVector)
        b.add(2, subgraphsVector)
        b.add(3, description)
        b.add(4, buffersVector)
        b.add(6, metadataVector)
        b.add(7, signaturesVector)
        let root = b.endTable()
        return b.finish(root: root, fileIdentifier: fileIdentifier)
    }

    /// Writes an options table; nil for `.none`.
    static func writeOptions(_ options: TFLiteBuiltinOptions, _ b: inout FlatBufferBuilder) -> FlatBufferBuilder.Offset? {
        switch options {
        case .none:
            return nil
        case let .conv2d(padding, strideW, strideH, activation):
            b.startTable(fields: 7)
            b.add(0, padding.rawValue, default: 0)
            b.add(1, strideW, default: 0, force: true)
            b.add(2, strideH, default: 0, force: true)
            b.add(3, activation.rawValue, default: 0)
            b.add(4, Int32(1), default: 1, force: true)
            b.add(5, Int32(1), default: 1, force: true)
            return b.endTable()
        case let .depthwiseConv2d(padding, strideW, strideH, depthMultiplier, activation):
            b.startTable(fields: 7)
            b.add(0, padding.rawValue, default: 0)
            b.add(1, strideW, default: 0, force: true)
            b.add(2, strideH, default: 0, force: true)
            b.add(3, depthMultiplier, default: 0, force: true)
            b.add(4, activation.rawValue, default: 0)
            b.add(5, Int32(1), default: 1, force: true)
            b.add(6, Int32(1), default: 1, force: true)
            return b.endTable()
        case let .pool2d(padding, strideW, strideH, filterW, filterH, activation):
            b.startTable(fields: 6)
            b.add(0, padding.rawValue, default: 0)
            b.add(1, strideW, default: 0, force: true)
            b.add(2, strideH, default: 0, force: true)
            b.add(3, filterW, default: 0, force: true)
            b.add(4, filterH, default: 0, force: true)
            b.add(5, activation.rawValue, default: 0)
            return b.endTable()
        case let .fullyConnected(activation, keepNumDims):
            b.startTable(fields: 5)
            b.add(0, activation.rawValue, default: 0)
            b.add(2, keepNumDims, default: false)
            return b.endTable()
        case let .concatenation(axis, activation):
            b.startTable(fields: 2)
            b.add(0, axis, default: 0, force: true)
            b.add(1, activation.rawValue, default: 0)
            return b.endTable()
        case let .add(activation):
            b.startTable(fields: 2)
            b.add(0, activation.rawValue, default: 0)
            return b.endTable()
        case let .mul(activation):
            b.startTable(fields: 1)
            b.add(0, activation.rawValue, default: 0)
            return b.endTable()
        case .l2Norm:
            b.startTable(fields: 1)
            return b.endTable()
        case let .reducer(keepDims):
            b.startTable(fields: 1)
            b.add(0, keepDims, default: false)
            return b.endTable()
        case let .reshape(newShape):
            let shape = b.createVector(newShape)
            b.startTable(fields: 1)
            b.add(0, shape)
            return b.endTable()
        case .dequantize, .quantize, .pad:
            b.startTable(fields: 0)
            return b.endTable()
        }
    }
}
