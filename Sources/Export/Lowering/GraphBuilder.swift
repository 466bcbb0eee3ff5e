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
        let i = filterShape[3]
        precondition(i == shape(x)[3], "\(name): filter expects \(i) input channels, input has \(shape(x)[3])")
        return convolution(
            .conv2d, x, name: name, filter: (filterOHWI, filterShape, "\(name)/weights"), bias: bias,
            outChannels: filterShape[0], stride: stride, padding: padding,
            options: .conv2d(padding: padding, strideW: Int32(stride), strideH: Int32(stride), activation: activation))
    }

    /// DEPTHWISE_CONV_2D with depth multiplier 1: `filter` is [1, kh, kw, C] (the schema's layout for a
    /// depthwise filter), `bias` has C values; returns the NHWC output.
    mutating func depthwiseConv2d(
        _ x: Int, name: String, filter1HWC: [Float], filterShape: [Int], bias: [Float], stride: Int,
        padding: TFLitePadding, activation: TFLiteActivation
    ) -> Int {
        let c = filterShape[3]
        precondition(filterShape[0] == 1 && c == shape(x)[3], "\(name): depthwise filter \(filterShape) for input \(shape(x))")
        return convolution(
            .depthwiseConv2d, x, name: name, filter: (filter1HWC, filterShape, "\(name)/depthwise_weights"), bias: bias,
            outChannels: c, stride: stride, padding: padding,
            options: .depthwiseConv2d(
                padding: padding, strideW: Int32(stride), strideH: Int32(stride), depthMultiplier: 1, activation: activation))
    }

    /// What both convolutions add: the filter (values, shape [_, kh, kw, _], name) and bias constants, the NHWC
    /// output of `outChannels` channels, and the operator.
    private mutating func convolution(
        _ opcode: TFLiteBuiltinOperator, _ x: Int, name: String, filter: ([Float], [Int], String), bias: [Float],
        outChannels: Int, stride: Int, padding: TFLitePadding, options: TFLiteBuiltinOptions
    ) -> Int {
        let inShape = shape(x)
        let (kh, kw) = (filter.1[1], filter.1[2])
        let w = constant(filter.2, floats: filter.0, shape: filter.1)
        let b = constant("\(name)/bias", floats: bias, shape: [outChannels])
        let out = newActivation(
            name,
            [inShape[0], outputSize(inShape[1], kh, stride, padding), outputSize(inShape[2], kw, stride, padding), outChannels])
        model.operators.append(TFLiteOperator(opcode, inputs: [x, w, b], outputs: [out], options: options))
        return out
    }

    /// PAD with zeros: `rows` above and below, `columns` left and right of an NHWC tensor (paddings [4, 2]).
    mutating func pad(_ x: Int, name: String, rows: Int, columns: Int) -> Int {
        var s = shape(x)
        let paddings = constant(
            "\(name)/paddings", int32s: [0, 0, Int32(rows), Int32(rows), Int32(columns), Int32(columns), 0, 0], shape: [4, 2])
        s[1] += 2 * rows
        s[2] += 2 * columns
        let out = newActivation(name, s)
        model.operators.append(TFLiteOperator(.pad, inputs: [x, paddings], outputs: [out], options: .pad))
        return out
    }

    /// PRELU: max(0, x) + alpha * min(0, x) with one slope per channel, alpha shaped [1, 1, C] (broadcast over
    /// the NHWC tensor's batch, height and width).
    mutating func prelu(_ x: Int, name: String, slopes: [Float]) -> Int {
        let s = shape(x)
        precondition(slopes.count == s[3], "\(name): \(slopes.count) slopes for \(s[3]) channels")
        let alpha = constant("\(name)/alpha", floats: slopes, shape: [1, 1, s[3]])
        let out = newActivation(name, s)
        model.operators.append(TFLiteOperator(.prelu, inputs: [x, alpha], outputs: [out], options: .none))
        return out
    }

    /// RESHAPE [N, 1, 1, C] -> [N, C] (the new shape also as the second input, as the converter writes it). Only
    /// a 1x1 grid: there NHWC and NCHW flatten to the same order, so the ONNX translation and the float interpreter
    /// (both NCHW) agree with it.
    mutating func flatten(_ x: Int, name: String) -> Int {
        let s = shape(x)
        precondition(s.count == 4 && s[1] == 1 && s[2] == 1, "\(name): flattening \(s), not a 1x1 grid")
        let newShape = [s[0], s.dropFirst().reduce(1, *)]
        let shapeTensor = constant("\(name)/shape", int32s: newShape.map(Int32.init), shape: [2])
        let out = newActivation(name, newShape)
        model.operators.append(
            TFLiteOperator(.reshape, inputs: [x, shapeTensor], outputs: [out], options: .reshape(newShape: newShape.map(Int32.init))))
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
