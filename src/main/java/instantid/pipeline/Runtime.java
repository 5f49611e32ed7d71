package instantid.pipeline;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;

/**
 * {@link RuntimeOptions} resolved against the engine: the device ("auto" takes CUDA when the
 * PyTorch engine sees a GPU), the compute dtype ("auto" is fp16 on CUDA, fp32 on the CPU; bf16
 * files are widened in Java; bf16 compute runs as fp16 on the engine, since DJL cannot hold
 * BFLOAT16 arrays) and the memory mode asked for.
 */
public record Runtime(Device device, DataType dtype, String description, MemoryMode memory) {

    public Runtime(Device device, DataType dtype, String description) {
        this(device, dtype, description, MemoryMode.AUTO);
    }

    public static Runtime resolve(RuntimeOptions o) {
        Engine engine = Engine.getEngine("PyTorch");
        int gpus = engine.getGpuCount();
        Device device;
        switch (o.device()) {
            case "cpu":
                device = Device.cpu();
                break;
            case "gpu":
            case "cuda":
                if (gpus == 0) {
                    throw new IllegalArgumentException("device gpu was asked for but the PyTorch engine sees no CUDA GPU "
                            + "(CPU natives in use: " + engine.getVersion() + "); use --device cpu or auto, or install "
                            + "CUDA natives (see README, GPU)");
                }
                device = Device.gpu();
                break;
            default:
                device = gpus > 0 ? Device.gpu() : Device.cpu();
        }
        // auto: fp16 on CUDA (tensor cores, half the memory), fp32 on the CPU (no fast fp16 kernels there)
        boolean fp32 = o.dtype().equals("auto") ? !device.isGpu() : o.dtype().startsWith("fp32") || o.dtype().equals("float32");
        DataType dt = fp32 ? DataType.FLOAT32 : DataType.FLOAT16;
        String desc = (device.isGpu() ? "CUDA GPU " + device.getDeviceId() : "CPU") + " (PyTorch " + engine.getVersion()
                + "), " + (dt == DataType.FLOAT32 ? "fp32" : o.dtype().startsWith("bf") ? "bf16 weights computed in fp16" : "fp16");
        return new Runtime(device, dt, desc, o.memoryMode());
    }
}
