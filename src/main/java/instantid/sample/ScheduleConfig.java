package instantid.sample;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The noise schedule and solver settings of a diffusers {@code scheduler_config.json}. Keys a file
 * does not give take the SDXL values (the published SDXL scheduler config), so a model's file, a
 * fixture's {@code config} object and {@link #sdxl()} all read the same way. Unknown keys are
 * ignored; values the samplers cannot honour are rejected when a sampler is built.
 *
 * @param className          diffusers class named by the file ({@code _class_name} or {@code scheduler}), or null
 * @param trainedBetas       explicit betas (null unless the file gives them)
 * @param timestepSpacing    {@code leading}, {@code trailing} or {@code linspace}
 * @param predictionType     {@code epsilon}, {@code v_prediction} or {@code sample}
 * @param finalSigmasType    {@code zero} or {@code sigma_min}
 * @param interpolationType  {@code linear} or {@code log_linear} (Euler)
 * @param setAlphaToOne      DDIM / LCM: the "previous" alpha after the last step is 1 instead of alphas_cumprod[0]
 * @param solverOrder        DPM-Solver order (1 or 2)
 * @param timestepScaling    LCM boundary-condition scaling
 */
public record ScheduleConfig(
        String className,
        int numTrainTimesteps,
        double betaStart,
        double betaEnd,
        String betaSchedule,
        double[] trainedBetas,
        String predictionType,
        String timestepSpacing,
        int stepsOffset,
        boolean rescaleBetasZeroSnr,
        boolean useKarrasSigmas,
        String finalSigmasType,
        String interpolationType,
        Double sigmaMin,
        Double sigmaMax,
        boolean setAlphaToOne,
        boolean clipSample,
        double clipSampleRange,
        String algorithmType,
        String solverType,
        int solverOrder,
        boolean lowerOrderFinal,
        boolean eulerAtFinal,
        int originalInferenceSteps,
        double timestepScaling,
        String timestepType) {

    /** The published SDXL base scheduler config (EulerDiscreteScheduler, scaled_linear, leading, offset 1). */
    public static ScheduleConfig sdxl() {
        return fromJson(new JsonObject());
    }

    /**
     * Reads {@code scheduler_config.json}: {@code path} may be the file, a {@code scheduler/} folder or
     * a model folder that holds {@code scheduler/scheduler_config.json}.
     */
    public static ScheduleConfig read(Path path) throws IOException {
        Path f = path;
        if (Files.isDirectory(f)) {
            Path inner = f.resolve("scheduler").resolve("scheduler_config.json");
            f = Files.isRegularFile(inner) ? inner : f.resolve("scheduler_config.json");
        }
        if (!Files.isRegularFile(f)) {
            throw new IOException(path + ": no scheduler_config.json found (expected the file, a scheduler/ "
                    + "folder or a model folder with scheduler/scheduler_config.json)");
        }
        try {
            return fromJson(JsonParser.parseString(Files.readString(f)).getAsJsonObject());
        } catch (RuntimeException e) {
            throw new IOException(f + ": not a valid scheduler config: " + e.getMessage(), e);
        }
    }

    /** A config from a diffusers JSON object (missing keys: SDXL values). */
    public static ScheduleConfig fromJson(JsonObject o) {
        String cls = str(o, "_class_name", str(o, "scheduler", null));
        double[] trained = null;
        JsonElement tb = o.get("trained_betas");
        if (tb != null && tb.isJsonArray()) {
            trained = new double[tb.getAsJsonArray().size()];
            for (int i = 0; i < trained.length; i++) trained[i] = tb.getAsJsonArray().get(i).getAsDouble();
        }
        return new ScheduleConfig(cls,
                integer(o, "num_train_timesteps", 1000),
                num(o, "beta_start", 0.00085),
                num(o, "beta_end", 0.012),
                str(o, "beta_schedule", "scaled_linear"),
                trained,
                str(o, "prediction_type", "epsilon"),
                str(o, "timestep_spacing", "leading"),
                integer(o, "steps_offset", 1),
                bool(o, "rescale_betas_zero_snr", false),
                bool(o, "use_karras_sigmas", false),
                str(o, "final_sigmas_type", "zero"),
                str(o, "interpolation_type", "linear"),
                o.has("sigma_min") && !o.get("sigma_min").isJsonNull() ? o.get("sigma_min").getAsDouble() : null,
                o.has("sigma_max") && !o.get("sigma_max").isJsonNull() ? o.get("sigma_max").getAsDouble() : null,
                bool(o, "set_alpha_to_one", false),
                bool(o, "clip_sample", false),
                num(o, "clip_sample_range", 1.0),
                str(o, "algorithm_type", "dpmsolver++"),
                str(o, "solver_type", "midpoint"),
                integer(o, "solver_order", 2),
                bool(o, "lower_order_final", true),
                bool(o, "euler_at_final", false),
                integer(o, "original_inference_steps", 50),
                num(o, "timestep_scaling", 10.0),
                str(o, "timestep_type", "discrete"));
    }

    /** A copy with Karras sigmas switched on or off. */
    public ScheduleConfig withKarras(boolean karras) {
        return new ScheduleConfig(className, numTrainTimesteps, betaStart, betaEnd, betaSchedule, trainedBetas,
                predictionType, timestepSpacing, stepsOffset, rescaleBetasZeroSnr, karras, finalSigmasType,
                interpolationType, sigmaMin, sigmaMax, setAlphaToOne, clipSample, clipSampleRange, algorithmType,
                solverType, solverOrder, lowerOrderFinal, eulerAtFinal, originalInferenceSteps, timestepScaling,
                timestepType);
    }

    /** A copy with DPM-Solver's algorithm, order and solver type set. */
    public ScheduleConfig withDpm(String algorithm, int order, String solver) {
        return new ScheduleConfig(className, numTrainTimesteps, betaStart, betaEnd, betaSchedule, trainedBetas,
                predictionType, timestepSpacing, stepsOffset, rescaleBetasZeroSnr, useKarrasSigmas, finalSigmasType,
                interpolationType, sigmaMin, sigmaMax, setAlphaToOne, clipSample, clipSampleRange, algorithm,
                solver, order, lowerOrderFinal, eulerAtFinal, originalInferenceSteps, timestepScaling, timestepType);
    }

    private static String str(JsonObject o, String k, String d) {
        JsonElement e = o.get(k);
        return e == null || e.isJsonNull() ? d : e.getAsString();
    }

    private static double num(JsonObject o, String k, double d) {
        JsonElement e = o.get(k);
        return e == null || e.isJsonNull() ? d : e.getAsDouble();
    }

    private static int integer(JsonObject o, String k, int d) {
        JsonElement e = o.get(k);
        return e == null || e.isJsonNull() ? d : e.getAsInt();
    }

    private static boolean bool(JsonObject o, String k, boolean d) {
        JsonElement e = o.get(k);
        return e == null || e.isJsonNull() ? d : e.getAsBoolean();
    }
}
