package instantid.pipeline;

import java.util.Locale;

/**
 * Device and precision: {@code device} is "auto" (CUDA when DJL sees a GPU, else CPU), "cpu" or
 * "gpu"/"cuda"; {@code dtype} is "fp32", "fp16" or "bf16" (bf16 weights are computed in fp16 on
 * the engine, since DJL cannot hold BFLOAT16 arrays). The VAE decodes in fp32 whatever is chosen.
 */
public record RuntimeOptions(String device, String dtype) {

    public static final RuntimeOptions CPU_FP32 = new RuntimeOptions("cpu", "fp32");

    public RuntimeOptions {
        device = device == null ? "auto" : device.toLowerCase(Locale.ROOT);
        dtype = dtype == null ? "fp32" : dtype.toLowerCase(Locale.ROOT);
        if (!device.matches("auto|cpu|gpu|cuda")) {
            throw new IllegalArgumentException("device '" + device + "': use auto, cpu or gpu");
        }
        if (!dtype.matches("fp32|fp16|bf16|float32|float16|bfloat16")) {
            throw new IllegalArgumentException("dtype '" + dtype + "': use fp32, fp16 or bf16");
        }
    }
}
