<?xml version="1.0" encoding="UTF-8"?>
<!-- The print edition: one self-contained paged-media HTML book (CSS Paged Media) from the combined
     corpus: title page, imprint, contents, front matter, documents with footnotes, and indexes. -->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:te="urn:teiedition"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    xmlns:f="urn:teiedition:function"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all" expand-text="yes">

  <!-- Shared decisions with the plain text: document order, dates, names, sources, note numbers. -->
  <xsl:import href="text.xsl"/>
  <!-- The site's rule for which link targets may be live (f:safe-href). -->
  <xsl:import href="common/functions.xsl"/>
  <xsl:include href="print/body.xsl"/>

  <xsl:output method="html" html-version="5" encoding="UTF-8" indent="no"/>
  <!-- A part of the book is only laid out, never written: as XML, which the PDF target parses in
       milliseconds (WeasyPrint's own HTML parser, written in Python, takes seventy times longer). -->
  <xsl:output name="layout" method="xml" encoding="UTF-8" indent="no" omit-xml-declaration="yes"/>
  <xsl:mode name="print" on-no-match="shallow-skip"/>

  <!-- 'anchor=page anchor=page ...' from a first layout: index entries then cite each page once. -->
  <xsl:param name="mention-pages" as="xs:string" select="''"/>
  <!-- Which part of the book to write: 'all' (the whole book, every page number a target-counter),
       or, for laying the book out in parts, 'body' (no indexes), 'front' (title, imprint and
       contents, their page numbers from part-pages) or 'index' (the indexes, pages numbered from
       first-page, their page numbers from mention-pages). -->
  <xsl:param name="part" as="xs:string" select="'all'"/>
  <xsl:param name="part-pages" as="xs:string" select="''"/>
  <xsl:param name="first-page" as="xs:integer" select="1"/>
  <xsl:param name="stylesheet-css" as="xs:string"
             select="unparsed-text(resolve-uri('assets/print.css', static-base-uri()))"/>

  <xsl:key name="mention" match="persName[@ref] | placeName[@ref] | orgName[@ref] | rs[@ref]"
           use="tokenize(@ref) ! substring-after(., '#')"/>
  <xsl:variable name="pages" as="map(xs:string, xs:integer)" select="te:page-map($mention-pages)"/>
  <xsl:variable name="contents-pages" as="map(xs:string, xs:integer)" select="te:page-map($part-pages)"/>
  <xsl:variable name="file" select="$edition/teiHeader/fileDesc"/>
  <xsl:variable name="book-title" as="xs:string"
      select="(te:clean($file/titleStmt/title[@type = 'main']), te:clean($file/titleStmt/title[1]),
               'Edition')[. != ''][1]"/>
  <xsl:variable name="language" as="xs:string"
      select="($edition/teiHeader/profileDesc/langUsage/language/@ident, 'en')[1]"/>
  <xsl:variable name="editors" as="xs:string*" select="$file/titleStmt/editor ! te:clean(.)"/>
  <xsl:variable name="registers" as="map(xs:string, xs:string)"
      select="map{'person': 'Index of persons', 'place': 'Index of places',
                  'org': 'Index of organisations'}"/>

  <xsl:variable name="book-documents" as="element(TEI)*" select="te:documents(/)"/>
  <xsl:variable name="book-front" as="element()*" select="$edition/text/front/div[not(@type = 'contents')]"/>
  <xsl:variable name="book-mentions" as="element()*"
      select="($book-front, $book-documents/text)//(persName | placeName | orgName | rs)
              [@ref][not(ancestor::sic/parent::choice or ancestor::orig/parent::choice)]"/>
  <!-- Relative link targets resolve against the edition's base URL when it is a web address. -->
  <xsl:variable name="base-url" as="xs:string" select="string(f:safe-href(
      te:clean($file/publicationStmt/idno[@type = 'URI'][1]))[matches(., '^https?://', 'i')])"/>

  <xsl:template match="/">
    <xsl:choose>
      <xsl:when test="$part = 'all'"><xsl:call-template name="book"/></xsl:when>
      <xsl:otherwise>
        <xsl:result-document format="layout"><xsl:call-template name="book"/></xsl:result-document>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="book">
    <xsl:variable name="documents" select="$book-documents"/>
    <xsl:variable name="front" select="$book-front"/>
    <xsl:variable name="sections" select="$edition/text/body/div[head]"/>
    <xsl:variable name="mentions" select="$book-mentions"/>
    <html lang="{$language}">
      <head>
        <meta charset="UTF-8"/>
        <title>{$book-title}</title>
        <meta name="author" content="{string-join($editors, '; ')}"/>
        <meta name="description" content="{(te:clean($file/titleStmt/title[@type = 'sub']), $book-title)[. != ''][1]}"/>
        <meta name="keywords" content="{string-join(distinct-values($documents ! te:doctype(.))[. != ''], ', ')}"/>
        <meta name="generator" content="teiedition"/>
        <xsl:for-each select="$file/publicationStmt/date/@when">
          <meta name="dcterms.created" content="{.}"/>
        </xsl:for-each>
        <style>{$stylesheet-css}
@page {{ @top-left {{ content: "{replace(replace($book-title, '\\', '\\\\'), '&quot;', '\\&quot;')}"; }} }}<xsl:if
            test="$part = 'index'">
@page :first {{ counter-set: page {$first-page}; }}</xsl:if></style>
      </head>
      <body>
        <xsl:if test="$part = ('all', 'body', 'front')">
          <xsl:call-template name="title-page"/>
          <xsl:call-template name="imprint"/>
          <xsl:call-template name="contents">
            <xsl:with-param name="front" select="$front"/>
            <xsl:with-param name="sections" select="$sections"/>
            <xsl:with-param name="documents" select="$documents"/>
            <xsl:with-param name="mentions" select="$mentions"/>
          </xsl:call-template>
        </xsl:if>
        <xsl:for-each select="$front[$part = ('all', 'body')]">
          <section class="part front" id="{te:part-id(.)}">
            <h1>{te:inline-text(head[1])}</h1>
            <xsl:apply-templates select="* except head[1]" mode="print"/>
          </section>
        </xsl:for-each>
        <xsl:for-each select="$sections[$part = ('all', 'body')]">
          <section class="section-head" id="{te:part-id(.)}"><h1>{te:inline-text(head[1])}</h1></section>
        </xsl:for-each>
        <xsl:apply-templates select="$documents[$part = ('all', 'body')]" mode="print"/>
        <xsl:for-each select="map:keys($registers)[$part = ('all', 'index')][exists(te:entries(., $mentions))]">
          <xsl:sort select="index-of(('person', 'place', 'org'), .)"/>
          <xsl:call-template name="index">
            <xsl:with-param name="kind" select="."/>
            <xsl:with-param name="mentions" select="$mentions"/>
          </xsl:call-template>
        </xsl:for-each>
      </body>
    </html>
  </xsl:template>

  <xsl:template name="title-page">
    <section class="titlepage">
      <h1>{$book-title}</h1>
      <xsl:for-each select="$file/titleStmt/title[@type = 'sub']">
        <p class="subtitle">{te:clean(.)}</p>
      </xsl:for-each>
      <xsl:if test="exists($editors)">
        <p class="editors">Edited by {string-join($editors, ' and ')}</p>
      </xsl:if>
      <p class="imprint-line">{string-join(($file/publicationStmt/(publisher, pubPlace) ! te:clean(.),
                               substring($file/publicationStmt/date/@when, 1, 4))[. != ''], ' · ')}</p>
    </section>
  </xsl:template>

  <xsl:template name="imprint">
    <xsl:variable name="publication" select="$file/publicationStmt"/>
    <xsl:variable name="url" select="te:clean($publication/idno[@type = 'URI'][1])"/>
    <section class="imprint">
      <p>{$book-title}<xsl:for-each select="$file/titleStmt/title[@type = 'sub']">. {te:clean(.)}</xsl:for-each>.
        <xsl:for-each select="$file/editionStmt/edition">Version {(@n, te:clean(.))[1]}. </xsl:for-each>
        <xsl:for-each select="$publication/date">Published {te:date(.)}.</xsl:for-each></p>
      <xsl:for-each select="$publication/availability/licence">
        <h2>Licence</h2>
        <p>{te:clean(.)}<xsl:if test="@target">: <xsl:sequence select="te:link(@target, string(@target))"/></xsl:if></p>
      </xsl:for-each>
      <h2>How to cite</h2>
      <p>{string-join($editors, ', ')}<xsl:if test="exists($editors)"> (ed.), </xsl:if>
        <i>{$book-title}</i>{$file/editionStmt/edition/@n ! (', version ' || .)},
        {string-join(($publication/publisher ! te:clean(.), substring($publication/date/@when, 1, 4))[. != ''], ', ')}<xsl:if
          test="$url != ''">, <xsl:sequence select="te:link($url, $url)"/></xsl:if>.</p>
      <xsl:for-each select="$file/sourceDesc/bibl[@xml:id = 'source'] | $file/sourceDesc/bibl[not(../bibl/@xml:id = 'source')][1]">
        <h2>Source</h2>
        <p><xsl:apply-templates select="." mode="print-bibl"/></p>
      </xsl:for-each>
      <h2>Production</h2>
      <p>Typeset from the edition's TEI P5 sources with teiedition and WeasyPrint.</p>
    </section>
  </xsl:template>

  <xsl:template name="contents">
    <xsl:param name="front" as="element()*"/>
    <xsl:param name="sections" as="element()*"/>
    <xsl:param name="documents" as="element()*"/>
    <xsl:param name="mentions" as="element()*"/>
    <nav class="part toc" id="contents">
      <h1>Contents</h1>
      <ol>
        <xsl:for-each select="$front">
          <li class="toc-front"><a href="#{te:part-id(.)}"><xsl:sequence select="te:contents-page(te:part-id(.))"/>{te:inline-text(head[1])}</a></li>
        </xsl:for-each>
        <xsl:for-each select="$sections">
          <li class="toc-section"><a href="#{te:part-id(.)}"><xsl:sequence select="te:contents-page(te:part-id(.))"/>{te:inline-text(head[1])}</a></li>
        </xsl:for-each>
        <xsl:for-each select="$documents">
          <li class="toc-document"><a href="#{@xml:id}"><xsl:sequence select="te:contents-page(@xml:id)"/><span class="toc-number">{te:number(.)}</span>
            {te:title(.)}</a></li>
        </xsl:for-each>
        <xsl:for-each select="('person', 'place', 'org')[exists(te:entries(., $mentions))]">
          <li class="toc-front"><a href="#index-{.}"><xsl:sequence select="te:contents-page('index-' || .)"/>{$registers(.)}</a></li>
        </xsl:for-each>
      </ol>
    </nav>
  </xsl:template>

  <xsl:template match="TEI[@type = 'document']" mode="print">
    <xsl:variable name="number" select="te:number(.)"/>
    <xsl:variable name="short" select="(te:clean(teiHeader/fileDesc/titleStmt/title[@type = 'short']),
                                        te:title(.))[. != ''][1]"/>
    <xsl:variable name="actions" select="teiHeader/profileDesc/correspDesc/correspAction"/>
    <article class="doc" id="{@xml:id}" lang="{(teiHeader/profileDesc/langUsage/language/@ident,
                                                    $language)[1]}">
      <header>
        <h1 data-running="{string-join(($number, $short)[. != ''], '  ')}"
            data-bookmark="{string-join(($number, te:title(.))[. != ''], ' ')}">
          <xsl:if test="$number != ''"><span class="doc-number">Document {$number}</span></xsl:if>
          {te:title(.)}</h1>
        <p class="meta">{string-join((te:date(te:creation-date(.)), te:doctype(.),
            string-join((te:party($actions[@type = 'sent'])[. != ''] ! ('From ' || .),
                         te:party($actions[@type = 'received'])[. != ''] ! ('to ' || .)), ' '),
            te:source(teiHeader/fileDesc/sourceDesc/bibl[1]) ! ('Source: ' || .))[. != ''], ' · ')}</p>
      </header>
      <xsl:apply-templates select="text/(front, body, back)/*" mode="print"/>
    </article>
  </xsl:template>

  <xsl:template name="index">
    <xsl:param name="kind" as="xs:string"/>
    <xsl:param name="mentions" as="element()*"/>
    <section class="part index" id="index-{$kind}">
      <h1>{$registers($kind)}</h1>
      <div class="entries">
        <xsl:for-each select="te:entries($kind, $mentions)">
          <xsl:sort select="lower-case(te:sort-name(.))" lang="{$language}"/>
          <xsl:variable name="id" select="string(@xml:id)"/>
          <xsl:variable name="own" select="key('mention', $id, root(.)) intersect $mentions"/>
          <p class="entry" id="entry-{$id}">
            <span class="name">{te:sort-name(.)}</span>
            <xsl:variable name="about" select="te:about(.)"/>
            <xsl:if test="$about != ''"><span class="note">, {$about}</span></xsl:if>
            <xsl:text> </xsl:text>
            <span class="pages">
              <xsl:for-each-group select="$own" group-by="($pages(te:mention-id(.)), te:mention-id(.))[1]">
                <xsl:sort select="($pages(te:mention-id(.)), 0)[1]"/>
                <xsl:if test="position() gt 1">, </xsl:if>
                <a href="#{te:mention-id(.)}">{if ($part = 'index') then $pages(te:mention-id(.)) else ()}</a>
              </xsl:for-each-group>
            </span>
          </p>
        </xsl:for-each>
      </div>
    </section>
  </xsl:template>

  <!-- Register entries of one kind that the printed text mentions. -->
  <xsl:function name="te:entries" as="element()*">
    <xsl:param name="kind" as="xs:string"/>
    <xsl:param name="mentions" as="element()*"/>
    <xsl:variable name="ids" select="distinct-values($mentions/tokenize(@ref) ! substring-after(., '#'))"/>
    <xsl:sequence select="$ids ! key('id', ., root($mentions[1]))[local-name() = $kind]"/>
  </xsl:function>

  <xsl:function name="te:sort-name" as="xs:string">
    <xsl:param name="entry" as="element()"/>
    <xsl:variable name="names" select="$entry/(persName, placeName, orgName)"/>
    <xsl:variable name="main" select="($names[@type = 'main'], $names)[1]"/>
    <xsl:sequence select="if ($main/surname) then string-join((te:clean($main/surname[1]),
                            te:clean(string-join($main/(forename, roleName, addName), ' '))[. != '']), ', ')
                          else te:clean(string-join($main//text(), ''))"/>
  </xsl:function>

  <xsl:function name="te:about" as="xs:string">
    <xsl:param name="entry" as="element()"/>
    <xsl:variable name="years" select="string-join(($entry/birth, $entry/death) !
                                       substring((@when, @notBefore, @notAfter)[1], 1, 4), '–')"/>
    <xsl:sequence select="string-join(($years[. != ''] ! ('(' || . || ')'),
                          te:clean(($entry/occupation, $entry/desc)[1])), ' ')"/>
  </xsl:function>

  <!-- ===== links: live only where a reader of the PDF can follow them safely ===== -->
  <!-- Content as a link to href, or as it stands when the target gives no safe place in the book
       or on the web (javascript:, data:, file:, another host's //, an id the book does not print). -->
  <xsl:function name="te:link" as="item()*">
    <xsl:param name="target" as="xs:string?"/>
    <xsl:param name="content" as="item()*"/>
    <xsl:variable name="href" select="te:print-href($target)"/>
    <xsl:choose>
      <xsl:when test="exists($href)"><a href="{$href}"><xsl:sequence select="$content"/></a></xsl:when>
      <xsl:otherwise><xsl:sequence select="$content"/></xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!-- http(s) and mailto as they are; a fragment or a path with a fragment as the place in the book
       that prints that id; another relative path against the edition's base URL. -->
  <xsl:function name="te:print-href" as="xs:string?">
    <xsl:param name="target" as="xs:string?"/>
    <xsl:variable name="safe" select="f:safe-href(tokenize(normalize-space($target))[1])"/>
    <xsl:variable name="fragment" select="substring-after($safe, '#')"/>
    <xsl:variable name="in-book" select="$fragment[. != ''] ! te:book-anchor(.)"/>
    <xsl:sequence select="
      if (empty($safe)) then ()
      else if (matches($safe, '^(https?|mailto):', 'i')) then $safe
      else if (exists($in-book)) then '#' || $in-book
      else if (starts-with($safe, '#') or $base-url = ''
               or not(matches($safe, '^[\w.~!$&amp;''()*+,;=:@/?#%\-]+$'))) then ()
      else f:safe-href(resolve-uri($safe, $base-url))[matches(., '^https?:', 'i')]"/>
  </xsl:function>

  <!-- The id under which the book prints the element with this xml:id, if it prints one. -->
  <xsl:function name="te:book-anchor" as="xs:string?">
    <xsl:param name="id" as="xs:string"/>
    <xsl:variable name="target" select="key('id', $id, $edition/root())[1]"/>
    <xsl:variable name="kind" select="($target//(person | place | org))[1]/local-name()"/>
    <xsl:sequence select="
      if ($target intersect $book-documents) then $id
      else if ($target/self::TEI[@type = 'register'] and exists(te:entries($kind, $book-mentions)))
        then 'index-' || $kind
      else if ($target/(self::person | self::place | self::org)
               and exists(key('mention', $id, $edition/root()) intersect $book-mentions))
        then 'entry-' || $id
      else if ($target[self::p | self::ab | self::item | self::note | self::div[parent::front]]
               [ancestor::text/parent::TEI intersect ($book-documents, $edition)]
               [not(ancestor::div[@type = 'contents'])]) then $id
      else ()"/>
  </xsl:function>

  <!-- 'anchor=page anchor=page ...' as a map. -->
  <xsl:function name="te:page-map" as="map(xs:string, xs:integer)">
    <xsl:param name="pairs" as="xs:string"/>
    <xsl:sequence select="map:merge(for $pair in tokenize($pairs) return
        map:entry(substring-before($pair, '='), xs:integer(substring-after($pair, '='))))"/>
  </xsl:function>

  <!-- A contents entry's page number: a target-counter in the whole book (no attribute); in a
       part laid out alone, the number from part-pages, or a stand-in of two digits. -->
  <xsl:function name="te:contents-page" as="attribute()?">
    <xsl:param name="id" as="xs:string"/>
    <xsl:if test="$part != 'all'">
      <xsl:attribute name="data-page" select="($contents-pages($id), '00')[1]"/>
    </xsl:if>
  </xsl:function>

  <xsl:function name="te:part-id" as="xs:string">
    <xsl:param name="div" as="element()"/>
    <xsl:sequence select="string(($div/@xml:id, string-join((($div/@type, 'part')[1],
                          $div/ancestor-or-self::div ! string(count(preceding-sibling::div) + 1)), '-'))[1])"/>
  </xsl:function>

  <xsl:function name="te:inline-text" as="xs:string">
    <xsl:param name="element" as="element()?"/>
    <xsl:sequence select="te:inline($element/node() except $element/note)"/>
  </xsl:function>
</xsl:stylesheet>
