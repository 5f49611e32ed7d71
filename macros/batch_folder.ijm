// InstantID: every portrait in a folder -> a generated PNG + its settings (.json) in an output folder.
// Argument: "input=[/path/in] output=[/path/out] <more Generate from Face options>"; without it, asks.
arg = getArgument();
input = "";  output = "";  extra = "width=1024 height=1024 steps=30";
if (arg != "") {
    input = call("ij.Macro.getValue", arg, "input", "");
    output = call("ij.Macro.getValue", arg, "output", "");
    more = call("ij.Macro.getValue", arg, "extra", "");
    if (more != "") extra = more;
}
if (input == "") input = getDirectory("Folder of portraits");
if (output == "") output = getDirectory("Folder for the results");
if (!endsWith(input, File.separator)) input = input + File.separator;
if (!endsWith(output, File.separator)) output = output + File.separator;
File.makeDirectory(output);
prompt = "portrait photo of a person, studio light, high detail";
setBatchMode(true);
list = getFileList(input);
print("InstantID batch: " + list.length + " file(s) in " + input);
made = 0;
for (i = 0; i < list.length; i++) {
    name = list[i];
    lower = toLowerCase(name);
    if (!(endsWith(lower, ".png") || endsWith(lower, ".jpg") || endsWith(lower, ".jpeg") || endsWith(lower, ".tif"))) continue;
    open(input + name);
    source = getImageID();          // close by ID: an image of the same title may be the user's own
    run("Generate from Face...", "face=[whole image] prompt=[" + prompt + "] " + extra);
    base = File.getNameWithoutExtension(name);
    generated = getImageID();
    saveAs("PNG", output + base + "_instantid.png");
    File.saveString(Property.get("InstantID.settings"), output + base + "_instantid.json");
    selectImage(generated);
    close();
    selectImage(source);
    close();
    made++;
}
print("InstantID batch: " + made + " image(s) written to " + output);
