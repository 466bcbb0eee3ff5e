import TorchBridge

/// Adds float32 NHWC operators to a `TFLiteModel`, tracking each tensor's shape. Constant tensors get
/// their own buffer; activations use buffer 0.
struct GraphBuilder {
    var model: TFLiteModel
    /// The name of each module of the network being lowered; its operators' tensors are named after it.
    let names: [ObjectIdentifier: String]

    init(description: String, names: [ObjectIdentifier: String] = [:]) {
        model = TFLiteModel(description: description)
        self.names = names
    }

    func name(of module: Module) -> String { names[ObjectIdentifier(module)] ?? "\(type(of: module))" }

    func shape(_ tensor: Int) -> [Int] { model.tensors[tensor].shape }

    mutating func newActivation(_ name: String, _ shape: [Int]) -> Int {
        model.addTensor(TFLiteTensor(name: name, shape: shape))
    }

    mutating func constant(_ name: String, floats: [Float], shape: [Int]) -> Int {
        precondition(floats.count == shape.reduce(1, *), "\(name): \(floats.count) values for shape \(shape)")
        let buffer = model.addBuffer(floats.withUnsafeBytes { Array($0) })
        return model.addTensor(TFLiteTensor(name: name, shape: shape, type: .float32, buffer: buffer))
    }

    mutating func constant(_ name: String, int32s: [Int32], shape: [Int]) -> Int {
        let buffer = model.addBuffer(int32s.withUnsafeBytes { Array($0) })
        return model.addTensor(TFLiteTensor(name: name, shape: shape, type: .int32, buffer: buffer))
    }

    /// CONV_2D: `filter` is OHWI, `bias` has O values; returns the NHWC output.
    mutating func conv2d(
        _ x: Int, name: String, filterOHWI: [Float], filterShape: [Int], bias: [Float], stride: Int,
        padding: TFLitePadding, activation: TFLiteActivation
    ) -> Int {
        let inShape = shape(x)
        let (o, kh, kw, i) = (filterShape[0], filterShape[1], filterShape[2], filterShape[3])
        precondition(i == inShape[3], "\(name): filter expects \(i) input channels, input has \(inShape[3])")
        let w = constant("\(name)/weights", floats: filterOHWI, shape: filterShape)
        let b = constant("\(name)/bias", floats: bias, shape: [o])
        let out = newActivation(
            name,
            [inShape[0], outputSize(inShape[1], kh, stride, padding), outputSize(inShape[2], kw, stride, padding), o])
        model.operators.append(
            TFLiteOperator(
                .conv2d, inputs: [x, w, b], outputs: [out],
                options: .conv2d(padding: padding, strideW: Int32(stride), strideH: Int32(stride), activation: activation)))
        return out
    }

    /// MAX_POOL_2D or AVERAGE_POOL_2D (whose SAME windows average only the cells inside the input).
    mutating func pool(
        _ opcode: TFLiteBuiltinOperator, _ x: Int, name: String, kernel: Int, stride: Int, padding: TFLitePadding
    ) -> Int {
        let s = shape(x)
        let out = newActivation(
            name, [s[0], outputSize(s[1], kernel, stride, padding), outputSize(s[2], kernel, stride, padding), s[3]])
        model.operators.append(
            TFLiteOperator(
                opcode, inputs: [x], outputs: [out],
                options: .pool2d(
                    padding: padding, strideW: Int32(stride), strideH: Int32(stride), filterW: Int32(kernel),
                    filterH: Int32(kernel), activation: .none)))
        return out
    }

    /// CONCATENATION on the channel axis (3, NHWC).
    mutating func concatenate(_ inputs: [Int], name: String) -> Int {
        var s = shape(inputs[0])
        s[3] = inputs.map { shape($0)[3] }.reduce(0, +)
        let out = newActivation(name, s)
        model.operators.append(
            TFLiteOperator(.concatenation, inputs: inputs, outputs: [out], options: .concatenation(axis: 3, activation: .none)))
        return out
    }

    mutating func add(_ a: Int, _ b: Int, name: String, activation fused: TFLiteActivation) -> Int {
        precondition(shape(a) == shape(b), "\(name): ADD of \(shape(a)) and \(shape(b))")
        let out = newActivation(name, shape(a))
        model.operators.append(TFLiteOperator(.add, inputs: [a, b], outputs: [out], options: .add(activation: fused)))
        return out
    }

    /// MEAN over height and width (axes 1, 2) without keeping them: [N, H, W, C] -> [N, C].
    mutating func globalMean(_ x: Int, name: String) -> Int {
        let s = shape(x)
        let axes = constant("\(name)/reduction_indices", int32s: [1, 2], shape: [2])
        let out = newActivation(name, [s[0], s[3]])
        model.operators.append(TFLiteOperator(.mean, inputs: [x, axes], outputs: [out], options: .reducer(keepDims: false)))
        return out
    }

    /// FULLY_CONNECTED with weights [out, in] and a bias.
    mutating func fullyConnected(
        _ x: Int, name: String, weights: [Float], out: Int, bias: [Float], activation: TFLiteActivation = .none
    ) -> Int {
        let s = shape(x)
        let w = constant("\(name)/weights", floats: weights, shape: [out, s[1]])
        let b = constant("\(name)/bias", floats: bias, shape: [out])
        let y = newActivation(name, [s[0], out])
        model.operators.append(
            TFLiteOperator(
                .fullyConnected, inputs: [x, w, b], outputs: [y],
                options: .fullyConnected(activation: activation, keepNumDims: false)))
        return y
    }

    mutating func l2Normalize(_ x: Int, name: String) -> Int {
        let out = newActivation(name, shape(x))
        model.operators.append(TFLiteOperator(.l2Normalization, inputs: [x], outputs: [out], options: .l2Norm))
        return out
    }
}

/// Output length of a convolution or pool along one axis (TensorFlow's rule).
func outputSize(_ input: Int, _ kernel: Int, _ stride: Int, _ padding: TFLitePadding) -> Int {
    switch padding {
    case .same: (input + stride - 1) / stride
    case .valid: (input - kernel) / stride + 1
    }
}
