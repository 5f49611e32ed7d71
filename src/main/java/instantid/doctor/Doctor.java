package instantid.doctor;

import ai.djl.ndarray.types.DataType;
import instantid.bench.RandomModel;
import instantid.models.CudaHost;
import instantid.models.NativeInfo;
import instantid.models.NativesActivation;
import instantid.nn.ClipTextConfig;
import instantid.nn.ParameterLists;
import instantid.nn.UNetConfig;
import instantid.nn.VaeConfig;
import instantid.pipeline.MemoryMode;
import instantid.pipeline.MemoryPlan;
import instantid.pipeline.Runtime;
import instantid.pipeline.RuntimeOptions;

import java.util.Map;

/**
 * What runs where, for the {@code doctor} verb and Settings: the engine and its natives (and where
 * they come from), the NVIDIA driver and GPUs, the device and precision the settings resolve to,
 * its free memory, the memory mode "auto" would choose for an image size (estimated from the
 * published SDXL + IdentityNet configs), and a {@link SelfTest} on that device.
 *
 * @param text    the report, several lines
 * @param ok      whether the chosen device works
 * @param failure why not (null when ok)
 */
public record Doctor(String text, boolean ok, String failure) {

    /** Examines this computer for the given settings and image size (loads the engine). */
    public static Doctor examine(RuntimeOptions options, int width, int height, boolean selfTest) {
        StringBuilder sb = new StringBuilder();
        NativesActivation gpu = NativesActivation.last();
        sb.append("GPU natives: ").append(gpu == null ? "not checked at start" : gpu.message()).append('\n');
        sb.append(CudaHost.probe().describe());
        NativeInfo.Info info;
        Runtime rt;
        try {
            info = NativeInfo.probe();
            sb.append("Engine: ").append(info.line()).append('\n');
            rt = Runtime.resolve(options);
        } catch (RuntimeException | LinkageError e) {
            String why = "the engine does not load or the device is not available: " + e.getMessage();
            return new Doctor(sb.append("FAILED: ").append(why).append('\n').toString(), false, why);
        }
        sb.append("Device: ").append(rt.description()).append('\n');
        sb.append("Attention: ").append(instantid.tensor.Ops.attentionKernel.effective()).append('\n');
        long free = MemoryPlan.freeBytes(rt.device());
        sb.append("Free memory on it: ").append(free < 0 ? "unknown" : String.format(java.util.Locale.ROOT, "%.1f GB", free / 1e9))
                .append(rt.device().isGpu() ? " (device)" : " (RAM available)").append('\n');
        MemoryPlan plan = MemoryPlan.choose(MemoryMode.parse(options.memory()), free, publishedNeed(rt.dtype(), width, height),
                !rt.device().isGpu() && rt.dtype() == DataType.FLOAT32);
        sb.append("Memory for InstantID at ").append(width).append('x').append(height).append(": ").append(plan.reason()).append('\n');
        if (!selfTest) return new Doctor(sb.toString(), true, null);
        SelfTest t = SelfTest.run(rt.device(), rt.dtype());
        sb.append("Self-test: ").append(t.message()).append('\n');
        return new Doctor(sb.toString(), t.ok(), t.ok() ? null : t.message());
    }

    /** The stages' needs for the published SDXL + IdentityNet configs, held in {@code dtype} (VAE in fp32). */
    static MemoryPlan.Need publishedNeed(DataType dtype, int w, int h) {
        int b = dtype.getNumOfBytes();
        UNetConfig unet = UNetConfig.fromJson(RandomModel.bundled("unet"));
        long denoise = elements(ParameterLists.unet(unet)) + elements(ParameterLists.controlNet(
                UNetConfig.fromJson(RandomModel.bundled("controlnet")), ParameterLists.ControlNetCond.fromJson(RandomModel.bundled("controlnet"))));
        long text = elements(ParameterLists.clip(ClipTextConfig.fromJson(RandomModel.bundled("text_encoder"), null)))
                + elements(ParameterLists.clip(ClipTextConfig.fromJson(RandomModel.bundled("text_encoder_2"), null)));
        long vae = elements(ParameterLists.vae(VaeConfig.fromJson(RandomModel.bundled("vae")))) * 4;
        boolean fused = instantid.tensor.Ops.attentionKernel.runsFused();
        // published files are float16: held as float16 when computing in float32 on the CPU unless widened
        return new MemoryPlan.Need(text * 2, denoise * 2, vae, denoise * b, text * b,
                MemoryPlan.unetActivation(w, h, b, fused), MemoryPlan.vaeActivation(w, h, 4, fused),
                MemoryPlan.vaeActivation(Math.min(w, 512), Math.min(h, 512), 4, fused));
    }

    private static long elements(Map<String, long[]> shapes) {
        long n = 0;
        for (long[] s : shapes.values()) n += instantid.io.TensorWriter.elements(s);
        return n;
    }
}
