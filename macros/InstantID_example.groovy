#@ ImagePlus imp
#@ CommandService command
#@ String (label = "Prompt", value = "portrait photo of a person, studio light") prompt
// InstantID from a Groovy script (Fiji's script editor): generate three variations of the face in
// the active image's selection and print the seed of each.
import instantid.fiji.GenerateFromFace

def module = command.run(GenerateFromFace, true,
        "image", imp, "face", "selection", "prompt", prompt,
        "width", 1024, "height", 1024, "steps", 30, "seed", 42, "images", 3).get()
def out = module.getDelegateObject().output()
if (out == null) {
    println "InstantID did not finish: " + module.getDelegateObject().getCancelReason()
} else {
    (1..out.getStackSize()).each { println out.getStack().getSliceLabel(it) }
}
