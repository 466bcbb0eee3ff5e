/// The subset of TensorFlow Lite's FlatBuffers schema this exporter writes.
///
/// Source: tensorflow/tensorflow `tensorflow/compiler/mlir/lite/schema/schema.fbs` (schema version 3 with
/// revisions 3a-3c; file identifier "TFL3"); field slots were cross-checked against the generated
/// `schema_py_generated.py` that PyPI's ai-edge-litert 2.3.0 ships. A table's slot is its field's
/// declaration index; a union field takes two slots (`<name>_type`: ubyte, then the offset).
/// Defaults are the schema's; the writer omits a field equal to its default unless it must be explicit.

/// `enum TensorType : byte`.
public enum TFLiteTensorType: Int8, Sendable {
    case float32 = 0, float16 = 1, int32 = 2, uint8 = 3, int64 = 4, int16 = 7, int8 = 9

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .float32, .int32: 4
        case .float16, .int16: 2
        case .uint8, .int8: 1
        case .int64: 8
        }
    }
}

/// `enum BuiltinOperator : int32` (the values this exporter uses).
public enum TFLiteBuiltinOperator: Int32, Sendable {
    case add = 0
    case averagePool2d = 1
    case concatenation = 2
    case conv2d = 3
    case depthwiseConv2d = 4
    case dequantize = 6
    case fullyConnected = 9
    case l2Normalization = 11
    case maxPool2d = 17
    case mul = 18
    case relu = 19
    case reshape = 22
    case pad = 34
    case mean = 40
    case prelu = 54
    case quantize = 114
}

/// `enum Padding : byte { SAME, VALID }`.
public enum TFLitePadding: Int8, Sendable {
    case same = 0, valid = 1
}

/// `enum ActivationFunctionType : byte`.
public enum TFLiteActivation: Int8, Sendable {
    case none = 0, relu = 1, reluN1To1 = 2, relu6 = 3, tanh = 4
}

/// The `BuiltinOptions` union members this exporter writes, with their union indices (the position in the
/// schema's `union BuiltinOptions` list, NONE = 0) and table fields.
public enum TFLiteBuiltinOptions: Sendable, Equatable {
    case none
    /// `Conv2DOptions` (7 slots): padding 0, stride_w 1, stride_h 2, fused_activation_function 3,
    /// dilation_w_factor 4 (=1), dilation_h_factor 5 (=1), quantized_bias_type 6.
    case conv2d(padding: TFLitePadding, strideW: Int32, strideH: Int32, activation: TFLiteActivation)
    /// `DepthwiseConv2DOptions` (7 slots): padding 0, stride_w 1, stride_h 2, depth_multiplier 3,
    /// fused_activation_function 4, dilation_w_factor 5 (=1), dilation_h_factor 6 (=1).
    case depthwiseConv2d(padding: TFLitePadding, strideW: Int32, strideH: Int32, depthMultiplier: Int32,
                         activation: TFLiteActivation)
    /// `Pool2DOptions` (6 slots): padding 0, stride_w 1, stride_h 2, filter_width 3, filter_height 4,
    /// fused_activation_function 5.
    case pool2d(padding: TFLitePadding, strideW: Int32, strideH: Int32, filterW: Int32, filterH: Int32,
                activation: TFLiteActivation)
    /// `FullyConnectedOptions` (5 slots): fused_activation_function 0, weights_format 1, keep_num_dims 2,
    /// asymmetric_quantize_inputs 3, quantized_bias_type 4.
    case fullyConnected(activation: TFLiteActivation, keepNumDims: Bool)
    /// `ConcatenationOptions` (2 slots): axis 0, fused_activation_function 1.
    case concatenation(axis: Int32, activation: TFLiteActivation)
    /// `AddOptions` (2 slots): fused_activation_function 0, pot_scale_int16 1 (=true).
    case add(activation: TFLiteActivation)
    /// `MulOptions` (1 slot): fused_activation_function 0.
    case mul(activation: TFLiteActivation)
    /// `L2NormOptions` (1 slot): fused_activation_function 0 (ignored by the kernel).
    case l2Norm
    /// `ReducerOptions` (1 slot): keep_dims 0.
    case reducer(keepDims: Bool)
    /// `PadOptions` (no fields); the paddings are the second input.
    case pad
    /// `ReshapeOptions` (1 slot): new_shape 0.
    case reshape(newShape: [Int32])
    /// `DequantizeOptions` (no fields).
    case dequantize
    /// `QuantizeOptions` (no fields).
    case quantize

    /// The `BuiltinOptions` union type index.
    public var unionType: UInt8 {
        switch self {
        case .none: 0
        case .conv2d: 1
        case .depthwiseConv2d: 2
        case .pool2d: 5
        case .fullyConnected: 8
        case .concatenation: 10
        case .add: 11
        case .l2Norm: 12
        case .reshape: 17
        case .mul: 21
        case .pad: 22
        case .reducer: 27
        case .dequantize: 38
        case .quantize: 89
        }
    }
}

/// `table QuantizationParameters` (7 slots): min 0, max 1, scale 2, zero_point 3 ([long]), details_type 4,
/// details 5, quantized_dimension 6.
public struct TFLiteQuantization: Sendable, Equatable {
    public var scale: [Float]
    public var zeroPoint: [Int64]
    public var quantizedDimension: Int32

    public init(scale: [Float], zeroPoint: [Int64], quantizedDimension: Int32 = 0) {
        self.scale = scale
        self.zeroPoint = zeroPoint
        self.quantizedDimension = quantizedDimension
    }
}

/// `table Tensor` (slots used): shape 0, type 1, buffer 2, name 3, quantization 4, has_rank 8.
public struct TFLiteTensor: Sendable {
    public var name: String
    public var shape: [Int]
    public var type: TFLiteTensorType
    /// Index into the model's buffers; 0 is the empty sentinel (activations).
    public var buffer: Int
    public var quantization: TFLiteQuantization?

    public init(name: String, shape: [Int], type: TFLiteTensorType = .float32, buffer: Int = 0,
                quantization: TFLiteQuantization? = nil) {
        self.name = name
        self.shape = shape
        self.type = type
        self.buffer = buffer
        self.quantization = quantization
    }

    public var elementCount: Int { shape.reduce(1, *) }
}

/// `table Operator` (slots used): opcode_index 0, inputs 1, outputs 2, builtin_options_type 3, builtin_options 4.
public struct TFLiteOperator: Sendable {
    public var opcode: TFLiteBuiltinOperator
    /// The operator version the runtime should pick a kernel for (`OperatorCode.version`).
    public var version: Int32
    /// Tensor indices; -1 marks an omitted optional input.
    public var inputs: [Int]
    public var outputs: [Int]
    public var options: TFLiteBuiltinOptions

    public init(_ opcode: TFLiteBuiltinOperator, version: Int32 = 1, inputs: [Int], outputs: [Int],
                options: TFLiteBuiltinOptions) {
        self.opcode = opcode
        self.version = version
        self.inputs = inputs
        self.outputs = outputs
        self.options = options
    }
}

/// A whole single-subgraph model: what `TFLiteWriter` serialises.
public struct TFLiteModel: Sendable {
    public var description: String
    /// Raw little-endian contents of each buffer; index 0 must be empty.
    public var buffers: [[UInt8]] = [[]]
    public var tensors: [TFLiteTensor] = []
    public var operators: [TFLiteOperator] = []
    public var inputs: [Int] = []
    public var outputs: [Int] = []
    public var subgraphName = "main"
    /// `SignatureDef`: key plus (alias, tensor index) for inputs and outputs.
    public var signatureKey = "serving_default"
    public var signatureInputs: [(String, Int)] = []
    public var signatureOutputs: [(String, Int)] = []
    /// `Metadata` entries: name and the bytes of a buffer added for it.
    public var metadata: [(String, [UInt8])] = []

    public init(description: String) {
        self.description = description
    }

    /// Appends a buffer and returns its index.
    public mutating func addBuffer(_ bytes: [UInt8]) -> Int {
        buffers.append(bytes)
        return buffers.count - 1
    }

    /// Appends a tensor and returns its index.
    public mutating func addTensor(_ tensor: TFLiteTensor) -> Int {
        tensors.append(tensor)
        return tensors.count - 1
    }
}
