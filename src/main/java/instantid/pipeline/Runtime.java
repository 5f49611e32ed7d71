package instantid.pipeline;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;

/**
 * {@link RuntimeOptions} resolved against the engine: the device ("auto" takes CUDA when the
 * PyTorch engine sees a GPU) and the compute dtype (bf16 files are widened in Java; bf16 compute
 * runs as fp16 on the engine, since DJL cannot hold BFLOAT16 arrays).
 */
public record Runtime(Device device, DataType dtype, String description) {

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
        DataType dt = o.dtype().startsWith("fp32") || o.dtype().equals("float32") ? DataType.FLOAT32 : DataType.FLOAT16;
        String desc = (device.isGpu() ? "CUDA GPU " + device.getDeviceId() : "CPU") + " (PyTorch " + engine.getVersion()
                + "), " + (dt == DataType.FLOAT32 ? "fp32" : o.dtype().startsWith("bf") ? "bf16 weights computed in fp16" : "fp16");
        return new Runtime(device, dt, desc);
    }
}
