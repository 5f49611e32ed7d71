package instantid.pipeline;

import java.util.Locale;

/**
 * Device, precision and memory mode: {@code device} is "auto" (CUDA when DJL sees a GPU, else CPU),
 * "cpu" or "gpu"/"cuda"; {@code dtype} is "auto" (fp16 on CUDA, fp32 on the CPU), "fp32", "fp16" or
 * "bf16" (bf16 weights are computed in fp16 on the engine, since DJL cannot hold BFLOAT16 arrays);
 * {@code memory} is a {@link MemoryMode} name. The VAE decodes in fp32 when its config says
 * {@code force_upcast} (SDXL's), in the compute dtype otherwise (the fp16-fix VAE).
 */
public record RuntimeOptions(String device, String dtype, String memory) {

    public static final RuntimeOptions CPU_FP32 = new RuntimeOptions("cpu", "fp32");

    public RuntimeOptions {
        device = device == null ? "auto" : device.toLowerCase(Locale.ROOT);
        dtype = dtype == null ? "auto" : dtype.toLowerCase(Locale.ROOT);
        memory = MemoryMode.parse(memory).id();
        if (!device.matches("auto|cpu|gpu|cuda")) {
            throw new IllegalArgumentException("device '" + device + "': use auto, cpu or gpu");
        }
        if (!dtype.matches("auto|fp32|fp16|bf16|float32|float16|bfloat16")) {
            throw new IllegalArgumentException("dtype '" + dtype + "': use auto, fp32, fp16 or bf16");
        }
    }

    /** With the memory mode "auto". */
    public RuntimeOptions(String device, String dtype) {
        this(device, dtype, "auto");
    }

    public MemoryMode memoryMode() {
        return MemoryMode.parse(memory);
    }
}
