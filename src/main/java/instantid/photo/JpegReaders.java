package instantid.photo;

import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi;

import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.spi.ServiceRegistry;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;

/**
 * TwelveMonkeys' JPEG reader, found without changing the JVM-wide ImageIO registry. On a plain
 * class path (the CLI) ImageIO has already registered it from its service file; inside Fiji a
 * plugin's class loader may be invisible to ImageIO's scan, so the provider is then registered in
 * a private registry next to the JDK's JPEG reader, which it wraps.
 */
final class JpegReaders {

    private static final String JDK_JPEG = "com.sun.imageio.plugins.jpeg.JPEGImageReaderSpi";
    private static ImageReaderSpi provider;

    private JpegReaders() {
    }

    static synchronized ImageReader create() throws IOException {
        if (provider == null) provider = find();
        return provider.createReaderInstance();
    }

    private static ImageReaderSpi find() throws IOException {
        IIORegistry global = IIORegistry.getDefaultInstance();
        ImageReaderSpi jdk = null;
        Iterator<ImageReaderSpi> it = global.getServiceProviders(ImageReaderSpi.class, false);
        while (it.hasNext()) {
            ImageReaderSpi s = it.next();
            if (s instanceof JPEGImageReaderSpi tm) return tm;
            if (s.getClass().getName().equals(JDK_JPEG)) jdk = s;
        }
        if (jdk == null) throw new IOException("the JDK's JPEG reader is missing from ImageIO");
        ServiceRegistry own = new ServiceRegistry(List.<Class<?>>of(ImageReaderSpi.class).iterator());
        own.registerServiceProvider(jdk, ImageReaderSpi.class);
        JPEGImageReaderSpi tm = new JPEGImageReaderSpi();
        own.registerServiceProvider(tm, ImageReaderSpi.class);
        if (!own.contains(tm)) throw new IOException("TwelveMonkeys' JPEG reader found no JDK JPEG reader to wrap");
        return tm;
    }
}
